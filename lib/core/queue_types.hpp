// SPDX-License-Identifier: Apache-2.0
// The engine-level shapes of a queue request and completion, shared by the io_uring/pool/sync
// engine (lib/async, Linux) and the completion-port engine (lib/windows). capi/src/queue turns
// sgio_request/sgio_completion into these and back; lib/ never sees the public headers.
//
// Both engines provide `class sgio::Queue final : public Object` (async/queue.hpp on Linux,
// windows/queue.hpp on Windows) with the same members, so capi/src/queue is one file for both:
//   static constexpr Kind kind_tag = Kind::queue;
//   Queue(BackendKind backend, uint32_t depth);            // throws Error
//   void on_close() override;                             // cancel, drain, wake waiters
//   BackendKind backend_kind() const noexcept;
//   int64_t event_fd();                                   // Error(not_supported) where none
//   void submit(const QueueRequest* reqs, uint32_t count, uint32_t& accepted, QueuePeek* own = nullptr);
//   uint32_t wait(QueueCompletion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms);
//   uint32_t cancel(uint64_t user_data);
#pragma once

#include <cstdint>

#include "core/error.hpp"

namespace sgio {

// Values equal the public SGIO_BACKEND_* constants (checked at the C boundary). On Windows the
// completion-port engine is the only one; windows/queue.hpp documents which value it reports.
enum class BackendKind : uint8_t { automatic = 0, uring = 1, pool = 2, sync = 3 };

enum class QueueOp : uint32_t { write_gather = 1, read_scatter = 2 };  // = SGIO_OP_*

// One request as the caller described it. `file` is the handle value of an open file (resolved
// and validated by the engine), `segments` the address of `count` 16-byte {buffer, length} pairs
// that stay valid until the completion is returned.
struct QueueRequest {
  uint64_t file = 0;
  uint64_t segments = 0;
  uint32_t count = 0;
  uint32_t op = 0;  // QueueOp, unchecked until submit
  uint64_t offset = 0;
  uint64_t user_data = 0;
};

// One finished request. `error` is the engine's error class (0 = success) for the C boundary to
// turn into SGIO_E*; `bytes` is what moved (on failure, the prefix known to have moved).
struct QueueCompletion {
  uint64_t user_data = 0;
  uint64_t bytes = 0;
  Errc error{};  // Errc{} (0) means success
};

// Where a submitting thread takes back its own requests that end inside its submit call
// (sgio_queue_submit_and_peek): up to `max` go to out[n++] instead of the queue's completion list,
// so no waiter is woken for them. An engine without inline completions (Windows) leaves it alone.
struct QueuePeek {
  QueueCompletion* out = nullptr;
  uint32_t max = 0;
  uint32_t n = 0;
};

}  // namespace sgio
