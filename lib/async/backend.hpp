// SPDX-License-Identifier: Apache-2.0
// The asynchronous engine shared by the native queue (sgio_queue_*) and the Win32 face
// (overlapped WriteFileGather/ReadFileScatter). A Backend runs IoRequests; it calls each
// request's complete() exactly once, from its own thread(s) (or inline for the sync backend).
//
// Which thread calls complete():
//   uring: the backend's completion thread; buffered writes over 1 MiB: one of its 4 workers.
//          (Buffered writes up to 1 MiB are written inside submit(), but their completion still
//          comes from the completion thread.) Only if no worker thread can be started at all do
//          large buffered writes run, and complete, inside submit().
//   pool:  one of the worker threads.
//   sync:  the thread calling submit(), before submit() returns.
// cancel() never calls complete() and never waits for a completion (it only retries briefly
// while the kernel refuses new entries), so it may be called while holding a lock that complete()
// also takes. submit() may call complete() (sync backend), so do not hold such a lock around it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "core/queue_types.hpp"
#include "posix/file.hpp"
#include "posix/vector_io.hpp"

namespace sgio {

enum class OpKind : uint8_t { write_gather = 1, read_scatter = 2 };


const char* backend_name(BackendKind kind) noexcept;

// One asynchronous gather write or scatter read. The submitter owns it and keeps it, its segment
// array and its buffers alive until complete() has been called.
class IoRequest {
 public:
  OpKind op = OpKind::write_gather;
  std::shared_ptr<File> file;  // keeps the descriptor open until completion
  const Segment* segs = nullptr;
  uint64_t count = 0;
  uint64_t offset = 0;

  // Called exactly once. bytes: moved (on failure, the prefix known to have moved).
  // error: 0, an errno value, or ECANCELED after a successful cancel. Must not throw or block long:
  // it runs on the backend's completion thread.
  virtual void complete(uint64_t bytes, int error) noexcept = 0;

 protected:
  ~IoRequest() = default;
};

class Backend {
 public:
  // Cancels what is in flight and returns only after every complete() call has returned.
  virtual ~Backend() = default;
  virtual BackendKind kind() const noexcept = 0;

  // Starts validated requests (File::validate has passed). The io_uring backend submits the whole
  // batch with one io_uring_enter. Throws Error only if none was started; once started, a request
  // always ends through complete().
  virtual void submit(IoRequest* const* reqs, size_t n) = 0;

  // Asks for `req` to be cancelled. Returns true if it was still in flight (its completion will
  // follow, with ECANCELED or its real result if it won the race), false if it was not found.
  virtual bool cancel(IoRequest* req) noexcept = 0;
};

// The backend to use: `requested` unless automatic, then SGIO_BACKEND=uring|pool|sync from the
// environment, then io_uring if the kernel allows it, else the pool. `depth` bounds requests in
// flight inside the backend. Throws Error(not_supported) when a forced io_uring is unavailable.
std::unique_ptr<Backend> make_backend(BackendKind requested, unsigned depth);

// SGIO_BACKEND from the environment, if set to a known name.
std::optional<BackendKind> backend_from_env() noexcept;

}  // namespace sgio
