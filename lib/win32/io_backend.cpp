// SPDX-License-Identifier: Apache-2.0
#include "win32/io_backend.hpp"

#include <atomic>
#include <mutex>

namespace sgio::win32 {

namespace {

// Requests the backend keeps in its ring at once; more wait in its backlog.
constexpr unsigned kDepth = 1024;

std::mutex& backend_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
// Never destroyed: completions may still run while static destructors do.
std::atomic<Backend*> current{nullptr};

}  // namespace

Backend* current_io_backend() noexcept { return current.load(std::memory_order_acquire); }

Backend& io_backend() {
  if (Backend* b = current.load(std::memory_order_acquire)) return *b;
  std::lock_guard lock(backend_mutex());
  if (Backend* b = current.load(std::memory_order_acquire)) return *b;
  Backend* b = make_backend(BackendKind::automatic, kDepth).release();
  current.store(b, std::memory_order_release);
  return *b;
}

std::unique_ptr<Backend> exchange_io_backend(std::unique_ptr<Backend> next) {
  std::lock_guard lock(backend_mutex());
  return std::unique_ptr<Backend>(current.exchange(next.release(), std::memory_order_acq_rel));
}

}  // namespace sgio::win32
