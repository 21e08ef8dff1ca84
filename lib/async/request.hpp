// SPDX-License-Identifier: Apache-2.0
// The engine's one request record (see backend.hpp for its life): what to transfer, the key
// cancel finds it by, the backend's bookkeeping, and the owner's completion hook.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "posix/file.hpp"
#include "posix/vector_io.hpp"

namespace sgio {

enum class OpKind : uint8_t { write_gather = 1, read_scatter = 2 };

class IoRequest;

// The backend's bookkeeping inside each request. Owned by the backend between submit and
// complete(); its vectors keep their capacity when the owner reuses the record, so a warm record
// starts a request without allocating.
struct IoState {
  IoRequest* prev = nullptr;  // in-flight list
  IoRequest* next = nullptr;
  IoRequest* chain = nullptr;  // hash bucket by key
  IoRequest* qprev = nullptr;  // the backend's queues (pool pending, ring backlog)
  IoRequest* qnext = nullptr;
  std::vector<iovec> iov;  // the ring chunk in flight
  IovCursor cur{nullptr, 0};
  uint64_t done = 0;   // bytes completed so far
  uint64_t asked = 0;  // bytes of the chunk in flight
  int inline_error = 0;
  uint8_t where = 0;  // backend-defined state
  bool cancel_requested = false;
  bool linked = false;
};

// One asynchronous gather write or scatter read: the one request record of the engine. The owner
// keeps it, its segment array and its buffers alive until complete() has been called.
class IoRequest {
 public:
  OpKind op = OpKind::write_gather;
  std::shared_ptr<File> file;  // keeps the descriptor open until completion
  const Segment* segs = nullptr;
  uint64_t count = 0;
  uint64_t offset = 0;
  uint64_t key = 0;  // what Backend::cancel_key finds it by (user_data, OVERLAPPED address)
  // Set by the owner when a thread will come for this result through Backend::wait (a handle
  // bound to a completion port: the application dequeues with GetQueuedCompletionStatus). The
  // io_uring backend may then hand it to the kernel with that wait's io_uring_enter, or with the
  // next completion's reap, instead of entering the kernel for it alone.
  bool result_awaited = false;

  // Called exactly once, with the backend's mutex held, on whichever thread reaped the request.
  // bytes: moved (on failure, the prefix known to have moved). error: 0, an errno value, or
  // ECANCELED after a successful cancel. Must not block, throw or call the backend; it may reuse
  // the record (the backend does not touch it afterwards). Returns whether a thread waiting for
  // the owner's state (Backend::wait) may now find its condition true: a request that ended
  // off the ring then wakes the leader; false (the submitting thread took the result back itself,
  // sgio_queue_submit_and_peek) saves that wake-up.
  virtual bool complete(uint64_t bytes, int error) noexcept = 0;

  IoState io;

 protected:
  IoRequest() = default;
  ~IoRequest() = default;
};

}  // namespace sgio
