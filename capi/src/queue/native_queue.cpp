// SPDX-License-Identifier: Apache-2.0
// sgio_queue_* : argument checks, sgio_request/sgio_completion <-> QueueRequest/QueueCompletion,
// the Queue call (async/queue.hpp on Linux, windows/queue.hpp on Windows), status translation.
#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "common/guard.hpp"
#include "common/handles.hpp"
#include "core/queue_types.hpp"
#include "posix/user_memory.hpp"
#include "sgio/sgio_queue.h"
#ifdef _WIN32
#include "windows/queue.hpp"
#else
#include "async/queue.hpp"
#endif

using namespace sgio;
using namespace sgio::capi;

static_assert(sizeof(sgio_request) == 48, "sgio_request is 48 bytes on every OS");
static_assert(sizeof(sgio_completion) == 24, "sgio_completion is 24 bytes on every OS");
// The fields the conversion copies, where the engine's structs expect them.
static_assert(offsetof(sgio_request, file) == offsetof(QueueRequest, file) &&
                  offsetof(sgio_request, segments) == offsetof(QueueRequest, segments) &&
                  offsetof(sgio_request, count) == offsetof(QueueRequest, count) &&
                  offsetof(sgio_request, op) == offsetof(QueueRequest, op) &&
                  offsetof(sgio_request, offset) == offsetof(QueueRequest, offset) &&
                  offsetof(sgio_request, user_data) == offsetof(QueueRequest, user_data) &&
                  sizeof(QueueRequest) == offsetof(sgio_request, reserved),
              "sgio_request begins with QueueRequest's layout");
static_assert(sizeof(sgio_completion) == sizeof(QueueCompletion) &&
                  offsetof(sgio_completion, user_data) == offsetof(QueueCompletion, user_data) &&
                  offsetof(sgio_completion, bytes) == offsetof(QueueCompletion, bytes) &&
                  offsetof(sgio_completion, status) == offsetof(QueueCompletion, error) &&
                  sizeof(QueueCompletion::error) == sizeof(sgio_completion::status),
              "an sgio_completion array can hold the engine's completions before conversion");
static_assert(SGIO_OP_WRITE_GATHER == static_cast<uint32_t>(QueueOp::write_gather) &&
                  SGIO_OP_READ_SCATTER == static_cast<uint32_t>(QueueOp::read_scatter),
              "public op constants equal the engine's");
static_assert(SGIO_BACKEND_URING == static_cast<uint32_t>(BackendKind::uring) &&
                  SGIO_BACKEND_POOL == static_cast<uint32_t>(BackendKind::pool) &&
                  SGIO_BACKEND_SYNC == static_cast<uint32_t>(BackendKind::sync) &&
                  SGIO_BACKEND_AUTO == static_cast<uint32_t>(BackendKind::automatic),
              "public backend constants equal the engine's");

namespace {

constexpr uint32_t kDefaultDepth = 256;
// Requests converted per Queue::submit call (on the stack; the engine batches the same way).
constexpr uint32_t kBatch = 64;
constexpr uint32_t kMaxDepth = 65536;

std::shared_ptr<Queue> queue_of(const sgio_queue* q) { return handles().get_as<Queue>(handle_value(q)); }

}  // namespace

extern "C" {

SGIO_API int32_t SGIO_CALL sgio_queue_options_init(sgio_queue_options* opts, uint32_t version) noexcept {
  return guard([&] {
    require(opts, "opts");
    if (version != SGIO_QUEUE_OPTIONS_VERSION)
      fail(Errc::invalid_argument, "sgio_queue_options_init: unknown version " + std::to_string(version));
    std::memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->depth = kDefaultDepth;
    opts->backend = SGIO_BACKEND_AUTO;
  });
}

SGIO_API int32_t SGIO_CALL sgio_queue_create(sgio_queue** out, const sgio_queue_options* opts) noexcept {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    uint32_t depth = kDefaultDepth;
    uint32_t backend = SGIO_BACKEND_AUTO;
    if (opts) {
      if (opts->version != SGIO_QUEUE_OPTIONS_VERSION)
        fail(Errc::invalid_argument, "queue options: unknown version " + std::to_string(opts->version) +
                                         " (initialise with sgio_queue_options_init)");
      if (opts->reserved != 0) fail(Errc::invalid_argument, "queue options: reserved field is not 0");
      if (opts->backend > SGIO_BACKEND_SYNC)
        fail(Errc::invalid_argument, "queue options: unknown backend " + std::to_string(opts->backend));
      if (opts->depth > kMaxDepth)
        fail(Errc::invalid_argument, "queue options: depth " + std::to_string(opts->depth) + " is above " +
                                         std::to_string(kMaxDepth));
      if (opts->depth != 0) depth = opts->depth;
      backend = opts->backend;
    }
    auto queue = std::make_shared<Queue>(static_cast<BackendKind>(backend), depth);
    *out = to_public<sgio_queue>(handles().insert(queue));
  });
}

SGIO_API int32_t SGIO_CALL sgio_queue_free(sgio_queue* q) noexcept {
  if (!q) return SGIO_OK;
  return guard([&] { handles().remove(handle_value(q), Kind::queue)->on_close(); });
}

SGIO_API int32_t SGIO_CALL sgio_queue_backend(sgio_queue* q, uint32_t* out_backend) noexcept {
  return guard([&] {
    require(out_backend, "out_backend");
    *out_backend = static_cast<uint32_t>(queue_of(q)->backend_kind());
  });
}

namespace {

// The body of sgio_queue_submit[_and_peek]: `accepted` is the prefix started even on error.
void submit_requests(Queue& queue, const sgio_request* reqs, uint32_t count, uint32_t& accepted, QueuePeek* own,
                     const char* fn) {
  if (count == 0) return;
  if (!reqs) fail(Errc::invalid_argument, std::string(fn) + ": reqs is NULL");
  // The caller's array is read only through a copy (an unreadable one is SGIO_EFAULT for the
  // first request that cannot be read, never SIGSEGV), a batch at a time, on the stack.
  sgio_request in[kBatch];
  QueueRequest batch[kBatch];
  for (uint32_t base = 0; base < count; base += kBatch) {
    const uint32_t n = std::min(kBatch, count - base);
    uint32_t ok = n;
    if (!copy_from_caller(in, reqs + base, n * sizeof(sgio_request))) {
      ok = 0;
      while (ok < n && copy_from_caller(&in[ok], reqs + base + ok, sizeof(sgio_request))) ++ok;
    }
    uint32_t good = 0;
    std::string why;
    for (; good < ok; ++good) {
      if (in[good].reserved != 0) {
        why = "reserved field is not 0";
        break;
      }
      const sgio_request& r = in[good];
      batch[good] = QueueRequest{handle_value(r.file), r.segments, r.count, r.op, r.offset, r.user_data};
    }
    uint32_t started = 0;
    try {
      queue.submit(batch, good, started, own);
    } catch (...) {
      accepted += started;
      throw;
    }
    accepted += started;
    const uint32_t at = base + good;
    if (good < ok) fail(Errc::invalid_argument, "request " + std::to_string(at) + ": " + why);
    if (ok < n) throw Error(Errc::fault, "request " + std::to_string(at) + ": the request array is not readable memory", EFAULT);
  }
}

// The engine wrote out[0..n) as QueueCompletion (same size and field offsets); rewrite each in
// place with the public status (Errc -> negative SGIO_E*).
void publish(sgio_completion* out, uint32_t n) noexcept {
  for (uint32_t i = 0; i < n; ++i) {
    QueueCompletion c;
    std::memcpy(static_cast<void*>(&c), &out[i], sizeof c);
    const sgio_completion pub{c.user_data, c.bytes, c.error == Errc{} ? SGIO_OK : to_status(c.error), 0};
    std::memcpy(&out[i], &pub, sizeof pub);
  }
}

}  // namespace

SGIO_API int32_t SGIO_CALL sgio_queue_submit(sgio_queue* q, const sgio_request* reqs, uint32_t count,
                                             uint32_t* out_submitted) noexcept {
  uint32_t accepted = 0;
  int32_t status = guard([&] { submit_requests(*queue_of(q), reqs, count, accepted, nullptr, "sgio_queue_submit"); });
  if (out_submitted) *out_submitted = accepted;
  return status;
}

SGIO_API int32_t SGIO_CALL sgio_queue_submit_and_peek(sgio_queue* q, const sgio_request* reqs, uint32_t count,
                                                      uint32_t* out_submitted, sgio_completion* out,
                                                      uint32_t max_count, uint32_t* out_count) noexcept {
  if (out_submitted) *out_submitted = 0;
  std::shared_ptr<Queue> queue;
  int32_t status = guard([&] {
    require(out_count, "out_count");
    *out_count = 0;
    if (!out && max_count > 0) fail(Errc::invalid_argument, "sgio_queue_submit_and_peek: out is NULL");
    queue = queue_of(q);
  });
  if (status != SGIO_OK) return status;
  uint32_t accepted = 0;
  QueuePeek own{reinterpret_cast<QueueCompletion*>(out), max_count, 0};
  status = guard([&] { submit_requests(*queue, reqs, count, accepted, &own, "sgio_queue_submit_and_peek"); });
  // Requests before a failing one may have completed inside the call: they are returned whatever
  // the status, then what was already waiting in the queue, without sleeping.
  if (own.n < max_count) {
    uint32_t more = 0;
    const int32_t peek_status = guard([&] { more = queue->wait(own.out + own.n, max_count - own.n, 0, 0); });
    if (status == SGIO_OK) status = peek_status;
    own.n += more;
  }
  publish(out, own.n);
  *out_count = own.n;
  if (out_submitted) *out_submitted = accepted;
  return status;
}

SGIO_API int32_t SGIO_CALL sgio_queue_wait(sgio_queue* q, sgio_completion* out, uint32_t max_count,
                                           uint32_t min_count, uint32_t timeout_ms, uint32_t* out_count) noexcept {
  return guard([&] {
    require(out_count, "out_count");
    *out_count = 0;
    if (!out && max_count > 0) fail(Errc::invalid_argument, "sgio_queue_wait: out is NULL");
    if (min_count > max_count)
      fail(Errc::invalid_argument, "sgio_queue_wait: min_count " + std::to_string(min_count) + " > max_count " +
                                       std::to_string(max_count));
    std::shared_ptr<Queue> queue = queue_of(q);
    const uint32_t n = queue->wait(reinterpret_cast<QueueCompletion*>(out), max_count, min_count, timeout_ms);
    publish(out, n);
    *out_count = n;
  });
}

SGIO_API int32_t SGIO_CALL sgio_queue_event_fd(sgio_queue* q, int64_t* out_fd) noexcept {
  return guard([&] {
    require(out_fd, "out_fd");
    *out_fd = queue_of(q)->event_fd();
  });
}

SGIO_API int32_t SGIO_CALL sgio_queue_cancel(sgio_queue* q, uint64_t user_data, uint32_t* out_found) noexcept {
  return guard([&] {
    if (out_found) *out_found = 0;
    uint32_t found = queue_of(q)->cancel(user_data);
    if (out_found) *out_found = found;
  });
}

}  // extern "C"
