// SPDX-License-Identifier: Apache-2.0
#include "async/workers.hpp"

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>

#include "core/error.hpp"

namespace sgio {

unsigned WorkerSet::default_threads() noexcept {
  unsigned cores = std::thread::hardware_concurrency();
  if (cores == 0) cores = 1;
  return std::min(4u, 2 * cores);
}

WorkerSet::WorkerSet(std::mutex& mu, unsigned max_threads, Finish finish, void* ctx) noexcept
    : mu_(mu), max_threads_(std::max(1u, max_threads)), finish_(finish), ctx_(ctx) {}

WorkerSet::~WorkerSet() { stop(); }

void WorkerSet::stop() noexcept {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

void WorkerSet::push_locked(IoRequest* const* reqs, size_t n) {
  if (n == 0) return;
  if (stopping_) fail(Errc::invalid_argument, "worker set: submit during shutdown");
  const size_t waiting = pending_ + n;
  while (idle_ < waiting && threads_.size() < max_threads_) {
    try {
      if (threads_.capacity() == threads_.size()) threads_.reserve(max_threads_);
      threads_.emplace_back([this] { worker(); });
      ++idle_;  // counted idle until it picks work
    } catch (const std::exception& e) {
      if (threads_.empty()) throw Error(Errc::system, std::string("cannot start a worker thread: ") + e.what());
      break;  // the existing workers will get to it
    }
  }
  for (size_t i = 0; i < n; ++i) {
    IoRequest* r = reqs[i];
    r->io.where = kPending;
    r->io.qnext = nullptr;
    r->io.qprev = pending_tail_;
    if (pending_tail_)
      pending_tail_->io.qnext = r;
    else
      pending_head_ = r;
    pending_tail_ = r;
  }
  pending_ += n;
  if (n == 1)
    cv_.notify_one();
  else
    cv_.notify_all();
}

void WorkerSet::unlink_pending(IoRequest* r) noexcept {
  IoState& s = r->io;
  if (s.qprev)
    s.qprev->io.qnext = s.qnext;
  else
    pending_head_ = s.qnext;
  if (s.qnext)
    s.qnext->io.qprev = s.qprev;
  else
    pending_tail_ = s.qprev;
  s.qprev = s.qnext = nullptr;
  --pending_;
}

bool WorkerSet::cancel_locked(IoRequest* req) noexcept {
  switch (req->io.where) {
    case kPending:
      unlink_pending(req);
      req->io.where = kCancelled;
      req->io.qnext = cancelled_;
      cancelled_ = req;
      cv_.notify_one();
      return true;
    case kRunning:
    case kCancelled:
      return true;
    default:
      return false;
  }
}

void WorkerSet::worker() noexcept {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || pending_head_ || cancelled_; });
    if (IoRequest* r = cancelled_) {
      cancelled_ = r->io.qnext;
      r->io.qnext = nullptr;
      r->io.where = 0;
      finish_(ctx_, r, 0, ECANCELED);
      continue;
    }
    IoRequest* r = pending_head_;
    if (!r) return;  // stopping and nothing left
    unlink_pending(r);
    if (stopping_) {
      r->io.where = 0;
      finish_(ctx_, r, 0, ECANCELED);
      continue;
    }
    r->io.where = kRunning;
    --idle_;
    lock.unlock();
    Transfer t = run_transfer(*r);
    lock.lock();
    ++idle_;
    r->io.where = 0;
    finish_(ctx_, r, t.bytes, t.error);
  }
}

}  // namespace sgio
