// SPDX-License-Identifier: Apache-2.0
// The asynchronous engine shared by the native queue (async/queue.hpp) and the Win32 face
// (overlapped WriteFileGather/ReadFileScatter). One request lifecycle for both:
//
//   owner takes an IoRequest from its pool, fills it   (owner's state, under Backend::mutex())
//   Backend::submit_locked: links it into the in-flight table (intrusive list + hash on `key`)
//                           and starts it: a ring SQE (handed to the kernel now, or with the next
//                           wait when IoRequest::result_awaited), a worker, or inline on the
//                           caller's thread (buffered writes; a serial caller, serial_path.hpp)
//   the reaping thread ends it: Backend::finish_locked unlinks it and calls complete()
//   complete() hands the result to the owner (queue: done list; Win32: OVERLAPPED, event, port)
//
// Every step runs under the one mutex of the backend (Backend::mutex()), which the owner uses for
// its own pool and lists too: a submit takes it once, a completion batch takes it once.
//
// Which thread reaps (io_uring): a thread waiting for a result (sgio_queue_wait,
// GetOverlappedResult, GetQueuedCompletionStatus, WaitForSingleObject) leads: it sleeps in
// io_uring_enter and runs the completions itself (Backend::wait). One leader at a time; other
// waiters sleep on their condition variable. Only when no one leads does the backend's own thread
// reap (woken through an eventfd registered with the ring). The pool backend's workers and the sync
// backend's submitting thread complete their own requests.
#pragma once

#include <sys/uio.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "async/io_list.hpp"
#include "async/request.hpp"
#include "async/serial_path.hpp"
#include "core/queue_types.hpp"

namespace sgio {

const char* backend_name(BackendKind kind) noexcept;

using Clock = std::chrono::steady_clock;
constexpr Clock::time_point kForever = Clock::time_point::max();
// `ms` from now; UINT32_MAX (INFINITE) is kForever.
Clock::time_point deadline_after(uint32_t ms) noexcept;

// The whole transfer of `req` with the synchronous engine (write-all or read-until-full-or-EOF).
// An exception from below (a test SysIo, std::bad_alloc) ends the request with EIO / ENOMEM and 0
// bytes instead of escaping a noexcept worker.
Transfer run_transfer(const IoRequest& req) noexcept;

class Backend {
 public:
  // Cancels what is in flight and returns only after every complete() call has returned.
  virtual ~Backend();
  virtual BackendKind kind() const noexcept = 0;

  // The lock of the engine: the in-flight table, the backend's queues, and the owners' state.
  std::mutex& mutex() noexcept { return mu_; }

  // Starts validated requests (File::validate has passed); `lock` holds mutex(). Throws Error only
  // if none was started; once started, a request always ends through complete(), possibly before
  // this returns. May release and retake the lock (buffered writes run on the calling thread).
  // The io_uring backend hands the ring its part of the batch with one io_uring_enter.
  void submit_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n);
  void submit(IoRequest* const* reqs, size_t n);

  // Asks for every in-flight request with this key (and for which accept(req) holds) to be
  // cancelled; returns how many were still in flight (their completions follow, with ECANCELED
  // or their real result if they won the race). Never calls complete(). `lock` holds mutex().
  template <class Accept>
  size_t cancel_key_locked(uint64_t key, Accept accept) noexcept {
    size_t found = 0;
    for (IoRequest* r = buckets_[bucket(key)]; r;) {
      IoRequest* next = r->io.chain;  // taken first: the walk never depends on what cancel did
      if (r->key == key && accept(*r) && cancel_locked(r)) ++found;
      r = next;
    }
    return found;
  }
  // Whether a request with this key (and accept(req)) is in flight. `lock` holds mutex().
  template <class Accept>
  bool in_flight_locked(uint64_t key, Accept accept) const noexcept {
    for (IoRequest* r = buckets_[bucket(key)]; r; r = r->io.chain)
      if (r->key == key && accept(*r)) return true;
    return false;
  }
  bool cancel(IoRequest* req) noexcept;
  bool cancel_request_locked(IoRequest* req) noexcept { return req->io.linked && cancel_locked(req); }
  // Asks for everything in flight to be cancelled (closing an owner). `lock` holds mutex().
  size_t cancel_all_locked() noexcept;
  size_t in_flight_count_locked() const noexcept { return in_flight_.size(); }

  // Waits until pred() holds (true) or the deadline passes (false). `lock` holds a mutex that
  // guards pred's state, and `cv` is notified (under it) when that state changes. While it waits,
  // the caller reaps the ring if no one else does (io_uring); otherwise it sleeps on `cv`.
  template <class Pred>
  bool wait(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Pred pred, Clock::time_point deadline) {
    for (;;) {
      if (pred()) return true;
      if (deadline != kForever && Clock::now() >= deadline) return false;
      if (try_lead()) {
        lock.unlock();
        lead(deadline);
        lock.lock();
        continue;
      }
      if (deadline == kForever)
        cv.wait(lock);
      else
        cv.wait_until(lock, deadline);
    }
  }
  // The owner handed the result of the request with this key to the application (the serial
  // caller detector, async/serial_path.hpp, needs it). Any thread, any lock.
  void note_result_taken(uint64_t key) noexcept { serial_.result_taken(key); }

  // Wakes the thread leading in the kernel so that it re-checks its condition (call after
  // changing state that a waiter's pred reads without a completion: SetEvent, a posted packet,
  // a closed handle). Cheap when no one leads. Must not be called with mutex() held.
  virtual void wake_leader() noexcept {}

 protected:
  explicit Backend(unsigned hash_buckets = 1024);

  // Starts reqs[0..n) (already in the table). Throws only before starting any.
  virtual void start_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) = 0;
  // Asks for one request to be cancelled; true if it will complete (false: it cannot be reached).
  virtual bool cancel_locked(IoRequest* req) noexcept = 0;
  // Leadership (io_uring): try_lead() takes it; lead() reaps until at least one batch was run, the
  // deadline passed or wake_leader() was called, then gives it back.
  virtual bool try_lead() noexcept { return false; }
  virtual void lead(Clock::time_point) noexcept {}

  // Unlinks `req` from the table and calls its complete(); returns complete()'s answer (whether
  // a waiter may need waking). `lock` holds mutex().
  bool finish_locked(IoRequest* req, uint64_t bytes, int error) noexcept;
  // Cancels everything in flight and waits until the table is empty (derived destructors).
  void drain() noexcept;

  std::mutex mu_;
  std::condition_variable drained_cv_;  // notified when the table becomes empty
  SerialPath serial_;                   // used by the io_uring backend's routing

 private:
  size_t bucket(uint64_t key) const noexcept { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_; }
  void link_locked(IoRequest* r) noexcept;
  void unlink_locked(IoRequest* r) noexcept;

  std::vector<IoRequest*> buckets_;
  size_t mask_;
  InFlightList in_flight_;
};

// The backend to use: `requested` unless automatic, then SGIO_BACKEND=uring|pool|sync from the
// environment, then io_uring if the kernel allows it, else the pool. `depth` bounds the requests
// the owner keeps in flight. Throws Error(not_supported) when a forced io_uring is unavailable.
std::unique_ptr<Backend> make_backend(BackendKind requested, unsigned depth);

// SGIO_BACKEND from the environment, if set to a known name.
std::optional<BackendKind> backend_from_env() noexcept;

}  // namespace sgio
