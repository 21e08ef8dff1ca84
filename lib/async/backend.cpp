// SPDX-License-Identifier: Apache-2.0
// Backend names and selection.
#include "async/backend.hpp"

#include <cstdlib>
#include <cstring>

#include "async/pool_backend.hpp"
#include "async/sync_backend.hpp"
#include "async/uring_backend.hpp"
#include "core/error.hpp"

namespace sgio {

const char* backend_name(BackendKind kind) noexcept {
  switch (kind) {
    case BackendKind::automatic: return "auto";
    case BackendKind::uring: return "uring";
    case BackendKind::pool: return "pool";
    case BackendKind::sync: return "sync";
  }
  return "unknown";
}

std::optional<BackendKind> backend_from_env() noexcept {
  const char* v = std::getenv("SGIO_BACKEND");
  if (!v) return std::nullopt;
  if (std::strcmp(v, "uring") == 0 || std::strcmp(v, "io_uring") == 0) return BackendKind::uring;
  if (std::strcmp(v, "pool") == 0) return BackendKind::pool;
  if (std::strcmp(v, "sync") == 0) return BackendKind::sync;
  if (std::strcmp(v, "auto") == 0) return BackendKind::automatic;
  return std::nullopt;
}

std::unique_ptr<Backend> make_backend(BackendKind requested, unsigned depth) {
  BackendKind kind = requested;
  if (kind == BackendKind::automatic) kind = backend_from_env().value_or(BackendKind::automatic);
  switch (kind) {
    case BackendKind::sync: return std::make_unique<SyncBackend>();
    case BackendKind::pool: return std::make_unique<PoolBackend>();
    case BackendKind::uring: return make_uring_backend(depth);  // throws not_supported if unavailable
    case BackendKind::automatic: break;
  }
  // Probe, do not version-check: seccomp, io_uring_disabled and RLIMIT_MEMLOCK all show up as a
  // failing io_uring_queue_init, whatever the kernel version says.
  try {
    return make_uring_backend(depth);
  } catch (const Error& e) {
    if (e.code() != Errc::not_supported) throw;
  }
  return std::make_unique<PoolBackend>();
}

}  // namespace sgio
