// SPDX-License-Identifier: Apache-2.0
// sgio_queue_* : argument checks, the Queue call, and status translation; nothing else.
#include <cstring>
#include <optional>
#include <string>

#include "common/guard.hpp"
#include "common/handles.hpp"
#include "sgio/sgio_queue.h"
#ifdef _WIN32
#include <vector>

#include "windows/queue.hpp"
#else
#include "queue/queue_object.hpp"
#endif

using namespace sgio;
using namespace sgio::capi;

static_assert(sizeof(sgio_request) == 48, "sgio_request is 48 bytes on every OS");
static_assert(sizeof(sgio_completion) == 24, "sgio_completion is 24 bytes on every OS");
static_assert(SGIO_BACKEND_URING == static_cast<uint32_t>(BackendKind::uring) &&
                  SGIO_BACKEND_POOL == static_cast<uint32_t>(BackendKind::pool) &&
                  SGIO_BACKEND_SYNC == static_cast<uint32_t>(BackendKind::sync) &&
                  SGIO_BACKEND_AUTO == static_cast<uint32_t>(BackendKind::automatic),
              "public backend constants equal the engine's");

namespace {

constexpr uint32_t kDefaultDepth = 256;
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

SGIO_API int32_t SGIO_CALL sgio_queue_submit(sgio_queue* q, const sgio_request* reqs, uint32_t count,
                                             uint32_t* out_submitted) noexcept {
  uint32_t accepted = 0;
#ifdef _WIN32
  // The engine's request shape (core/queue_types.hpp); the caller's array is read once, probed.
  int32_t status = guard([&] {
    std::shared_ptr<Queue> queue = queue_of(q);
    if (count > 0 && !reqs) fail(Errc::invalid_argument, "sgio_queue_submit: reqs is NULL");
    std::vector<QueueRequest> engine;
    engine.reserve(count);
    std::optional<Error> stop;
    for (uint32_t i = 0; i < count && !stop; ++i) {
      sgio_request r;
      if (!copy_from_caller(&r, reqs + i, sizeof r))
        stop.emplace(Errc::fault, "request " + std::to_string(i) + ": the request array is not readable memory");
      else if (r.reserved != 0)
        stop.emplace(Errc::invalid_argument, "request " + std::to_string(i) + ": reserved field is not 0");
      else
        engine.push_back(QueueRequest{handle_value(r.file), r.segments, r.count, r.op, r.offset, r.user_data});
    }
    queue->submit(engine.data(), static_cast<uint32_t>(engine.size()), accepted);
    if (stop) throw *stop;
  });
#else
  int32_t status = guard([&] { queue_of(q)->submit(reqs, count, accepted); });
#endif
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
#ifdef _WIN32
    std::vector<QueueCompletion> got(max_count);
    uint32_t n = queue_of(q)->wait(got.data(), max_count, min_count, timeout_ms);
    for (uint32_t i = 0; i < n; ++i)
      out[i] = sgio_completion{got[i].user_data, got[i].bytes,
                               got[i].error == Errc{} ? SGIO_OK : to_status(got[i].error), 0};
    *out_count = n;
#else
    *out_count = queue_of(q)->wait(out, max_count, min_count, timeout_ms);
#endif
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
