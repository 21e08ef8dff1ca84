// SPDX-License-Identifier: Apache-2.0
// The engine's common part: the in-flight table, backend names and selection, run_transfer.
#include "async/backend.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "async/pool_backend.hpp"
#include "async/sync_backend.hpp"
#include "async/uring_backend.hpp"
#include "core/error.hpp"

namespace sgio {

Clock::time_point deadline_after(uint32_t ms) noexcept {
  if (ms == UINT32_MAX) return kForever;
  return Clock::now() + std::chrono::milliseconds(ms);
}

Transfer run_transfer(const IoRequest& req) noexcept {
  try {
    const File& f = *req.file;
    if (req.op == OpKind::write_gather)
      return write_all(f.fd(), req.segs, req.count, req.offset, f.alignment().offset);
    return read_full(f.fd(), req.segs, req.count, req.offset, f.alignment().offset);
  } catch (const std::bad_alloc&) {
    return Transfer{0, ENOMEM};
  } catch (...) {
    // What moved before the throw is unknown: claim nothing.
    return Transfer{0, EIO};
  }
}

Backend::Backend(unsigned hash_buckets) {
  size_t n = 64;
  while (n < hash_buckets) n <<= 1;
  buckets_.assign(n, nullptr);
  mask_ = n - 1;
}

Backend::~Backend() = default;

void Backend::link_locked(IoRequest* r) noexcept {
  IoState& s = r->io;
  in_flight_.push_back(r);
  IoRequest*& b = buckets_[bucket(r->key)];
  s.chain = b;
  b = r;
  s.linked = true;
  s.cancel_requested = false;
  s.done = 0;
  s.asked = 0;
  s.inline_error = 0;
  s.where = 0;
}

void Backend::unlink_locked(IoRequest* r) noexcept {
  IoState& s = r->io;
  in_flight_.unlink(r);
  for (IoRequest** p = &buckets_[bucket(r->key)]; *p; p = &(*p)->io.chain) {
    if (*p == r) {
      *p = s.chain;
      break;
    }
  }
  s.chain = nullptr;
  s.linked = false;
}

void Backend::submit_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) {
  if (n == 0) return;
  for (size_t i = 0; i < n; ++i) link_locked(reqs[i]);
  try {
    start_locked(lock, reqs, n);
  } catch (...) {
    for (size_t i = 0; i < n; ++i) unlink_locked(reqs[i]);
    if (in_flight_.size() == 0) drained_cv_.notify_all();
    throw;
  }
}

void Backend::submit(IoRequest* const* reqs, size_t n) {
  std::unique_lock lock(mu_);
  submit_locked(lock, reqs, n);
}

bool Backend::cancel(IoRequest* req) noexcept {
  std::lock_guard lock(mu_);
  return req->io.linked && cancel_locked(req);
}

bool Backend::finish_locked(IoRequest* req, uint64_t bytes, int error) noexcept {
  unlink_locked(req);
  const bool wake = req->complete(bytes, error);
  if (in_flight_.size() == 0) drained_cv_.notify_all();
  return wake;
}

size_t Backend::cancel_all_locked() noexcept {
  size_t found = 0;
  for (IoRequest* r = in_flight_.front(); r;) {
    IoRequest* next = r->io.next;
    if (cancel_locked(r)) ++found;
    r = next;
  }
  return found;
}

void Backend::drain() noexcept {
  std::unique_lock lock(mu_);
  cancel_all_locked();
  wait(lock, drained_cv_, [&] { return in_flight_.size() == 0; }, kForever);
}

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
