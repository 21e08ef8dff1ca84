// SPDX-License-Identifier: Apache-2.0
#include "async/pool_backend.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "async/run_inline.hpp"
#include "core/error.hpp"

namespace sgio {

unsigned PoolBackend::default_threads() noexcept {
  unsigned cores = std::thread::hardware_concurrency();
  if (cores == 0) cores = 1;
  return std::min(4u, 2 * cores);
}

PoolBackend::PoolBackend(unsigned max_threads) : max_threads_(std::max(1u, max_threads)) {}

PoolBackend::~PoolBackend() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  work_cv_.notify_all();
  // Workers complete whatever was not started with ECANCELED and let running requests finish.
  for (auto& t : threads) t.join();
}

void PoolBackend::submit(IoRequest* const* reqs, size_t n) {
  if (n == 0) return;
  {
    std::lock_guard lock(mu_);
    size_t waiting = pending_.size() + n;
    while (idle_ < waiting && threads_.size() < max_threads_) {
      try {
        threads_.emplace_back([this] { worker(); });
        ++idle_;  // counted idle until it picks work
      } catch (const std::system_error& e) {
        if (threads_.empty()) throw Error(Errc::system, std::string("pool backend: cannot start a worker: ") + e.what());
        break;  // the existing workers will get to it
      }
    }
    pending_.insert(pending_.end(), reqs, reqs + n);
  }
  if (n == 1)
    work_cv_.notify_one();
  else
    work_cv_.notify_all();
}

bool PoolBackend::cancel(IoRequest* req) noexcept {
  std::lock_guard lock(mu_);
  auto it = std::find(pending_.begin(), pending_.end(), req);
  if (it != pending_.end()) {
    pending_.erase(it);
    cancelled_.push_back(req);
    work_cv_.notify_one();
    return true;
  }
  if (std::find(cancelled_.begin(), cancelled_.end(), req) != cancelled_.end()) return true;
  return running_.count(req) != 0;
}

size_t PoolBackend::thread_count() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

void PoolBackend::worker() noexcept {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !pending_.empty() || !cancelled_.empty(); });
    IoRequest* req;
    bool run;
    if (!cancelled_.empty()) {
      req = cancelled_.front();
      cancelled_.pop_front();
      run = false;
    } else if (!pending_.empty()) {
      req = pending_.front();
      pending_.pop_front();
      run = !stopping_;
    } else {
      return;  // stopping and nothing left
    }
    --idle_;
    if (run) running_.insert(req);
    lock.unlock();
    if (run) {
      Transfer t = run_transfer(*req);
      // Forget the request before completing it: once complete() returns, its memory may already
      // hold a new request with the same address.
      lock.lock();
      running_.erase(req);
      lock.unlock();
      req->complete(t.bytes, t.error);
    } else {
      req->complete(0, ECANCELED);
    }
    lock.lock();
    ++idle_;
  }
}

}  // namespace sgio
