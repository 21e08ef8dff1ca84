// SPDX-License-Identifier: Apache-2.0
// sgio_queue_* : argument checks, the Queue call, and status translation; nothing else.
#include <cstring>
#include <string>

#include "common/guard.hpp"
#include "common/handles.hpp"
#include "queue/queue_object.hpp"
#include "sgio/sgio_queue.h"

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
  int32_t status = guard([&] { queue_of(q)->submit(reqs, count, accepted); });
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
    *out_count = queue_of(q)->wait(out, max_count, min_count, timeout_ms);
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
