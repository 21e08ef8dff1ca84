// SPDX-License-Identifier: Apache-2.0
// The serial caller: one request at a time, waited for at once (a log writer's WriteFileGather +
// GetOverlappedResult(bWait=TRUE), or sgio_queue_submit + sgio_queue_wait). Such a caller sleeps
// until its request ends whatever the engine does, so the ring only adds work: on ext4 an
// asynchronous O_DIRECT write completes through a kworker and then io_uring's task work, where a
// synchronous pwritev completes in the caller's context. Measured with bench/run_all.sh on an
// idle machine (bench/README.md, "Issue 9 targets"): a raw liburing QD1 WRITEV loop reached
// 0.85x of pwritev, sgio's ring path 0.72-0.80x, the inline path 0.97-1.02x. The io_uring backend
// therefore runs a serial caller's request on the caller's thread (the synchronous engine), and
// goes back to the ring as soon as the pattern breaks.
//
// The pattern, per backend:
// - to enter it, kStreak requests in a row each started alone (nothing else in flight) and a
//   thread with nothing else to consume began waiting in the kernel (led the ring) within
//   kPromptNs of the submission;
// - to stay in it, each request again starts alone, and the result of the previous one (by its
//   key: OVERLAPPED address or user_data) was taken before (GetOverlappedResult, a dequeued port
//   packet, sgio_queue_wait).
// So a burst of submissions without waits goes to the ring from its second request on; a loop
// that refills a completion port while older packets wait there never counts (its waits find
// something to consume); a caller that overlaps work with its I/O never leaves the ring.
// Correctness never depends on this: both paths give the same results; only the time differs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sgio {

class IoRequest;

class SerialPath {
 public:
  // Any thread, any lock: a thread found nothing to consume and starts waiting in the kernel.
  void lead_began() noexcept {
    const int64_t since = lone_since_.load(std::memory_order_relaxed);
    if (since != 0 && now_ns() - since <= kPromptNs) prompt_.store(true, std::memory_order_relaxed);
  }
  // Any thread, any lock: the owner handed the result of the request with this key to the
  // application.
  void result_taken(uint64_t key) noexcept {
    if (key == inline_key_.load(std::memory_order_relaxed)) taken_.store(true, std::memory_order_relaxed);
  }

  // Under the backend's mutex. A request with `key` is about to start with nothing else in
  // flight: true to run it on the calling thread.
  bool start_alone_locked(uint64_t key) noexcept {
    if (streak_ < kStreak) return false;
    if (!taken_.exchange(false, std::memory_order_relaxed)) {
      streak_ = 0;  // the previous inline result was not taken before this submission
      return false;
    }
    inline_key_.store(key, std::memory_order_relaxed);
    return true;
  }
  // Under the mutex, after a lone request went to the ring (from when its submitter got back).
  void started_on_ring_locked(const IoRequest* r) noexcept {
    lone_ = r;
    prompt_.store(false, std::memory_order_relaxed);
    lone_since_.store(now_ns(), std::memory_order_relaxed);
  }
  // Under the mutex: a submission while others are in flight, or of several at once.
  void started_crowded_locked() noexcept {
    streak_ = 0;
    forget_lone();
  }
  // Under the mutex: `r` ended on the ring.
  void ended_on_ring_locked(const IoRequest* r) noexcept {
    if (r != lone_) return;
    if (prompt_.load(std::memory_order_relaxed)) {
      if (streak_ < kStreak) ++streak_;
      taken_.store(true, std::memory_order_relaxed);  // its waiter takes it: the first inline may follow
      inline_key_.store(kNoKey, std::memory_order_relaxed);
    } else {
      streak_ = 0;
    }
    forget_lone();
  }

 private:
  static constexpr unsigned kStreak = 8;
  static constexpr int64_t kPromptNs = 20'000;
  static constexpr uint64_t kNoKey = ~uint64_t{0};

  static int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  void forget_lone() noexcept {
    lone_ = nullptr;
    lone_since_.store(0, std::memory_order_relaxed);
  }

  // Under the mutex.
  unsigned streak_ = 0;
  const IoRequest* lone_ = nullptr;
  // Also used without the mutex.
  std::atomic<int64_t> lone_since_{0};       // steady_clock ns when lone_ went to the ring, 0 if none
  std::atomic<bool> prompt_{false};          // a lead began within kPromptNs of that
  std::atomic<uint64_t> inline_key_{kNoKey};  // key of the last request run inline
  std::atomic<bool> taken_{false};           // its result was taken
};

}  // namespace sgio
