// SPDX-License-Identifier: Apache-2.0
#include "queue/queue_object.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <string>

#include "common/guard.hpp"
#include "common/handles.hpp"
#include "core/error.hpp"
#include "posix/user_memory.hpp"

namespace sgio::capi {

namespace {

int32_t status_of(int error) noexcept { return error == 0 ? SGIO_OK : to_status(errc_from_errno(error)); }

Access access_of(uint32_t op) {
  if (op == SGIO_OP_WRITE_GATHER) return Access::write;
  if (op == SGIO_OP_READ_SCATTER) return Access::read;
  fail(Errc::invalid_argument, "op " + std::to_string(op) + " is not SGIO_OP_WRITE_GATHER or SGIO_OP_READ_SCATTER");
}

}  // namespace

void Queue::Request::complete(uint64_t bytes, int error) noexcept { queue->on_complete(this, bytes, error); }

Queue::Queue(BackendKind backend, uint32_t depth) : Object(Kind::queue), depth_(depth) {
  event_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (event_fd_ < 0) throw_errno(errno, "sgio_queue_create: eventfd");
  try {
    backend_ = make_backend(backend, depth);
  } catch (...) {
    ::close(event_fd_);
    throw;
  }
  kind_ = backend_->kind();
}

Queue::~Queue() {
  // Normally on_close() has run; this covers a queue that never reached the handle table.
  backend_.reset();
  ::close(event_fd_);
}

void Queue::on_close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();  // waiters leave with SGIO_EBADHANDLE
  {
    // Waits for submit/cancel calls already inside the backend, then for every request: the
    // backend's destructor cancels what is in flight and returns after the last complete().
    std::unique_lock lock(backend_mu_);
    backend_.reset();
  }
  std::lock_guard lock(mu_);
  done_.clear();
  uint64_t v;
  while (::read(event_fd_, &v, sizeof v) < 0 && errno == EINTR) {
  }
}

void Queue::ensure_open_locked() const {
  if (closed_) fail(Errc::bad_handle, "the queue handle has been freed");
}

Queue::Request* Queue::take_request_locked() {
  if (free_.empty()) {
    all_.push_back(std::make_unique<Request>());
    // Completions hand requests back without allocating.
    free_.reserve(all_.size());
    free_.push_back(all_.back().get());
  }
  Request* r = free_.back();
  free_.pop_back();
  return r;
}

void Queue::link_locked(Request* r) noexcept {
  r->prev = nullptr;
  r->next = inflight_;
  if (inflight_) inflight_->prev = r;
  inflight_ = r;
}

void Queue::unlink_locked(Request* r) noexcept {
  if (r->prev)
    r->prev->next = r->next;
  else
    inflight_ = r->next;
  if (r->next) r->next->prev = r->prev;
  r->prev = r->next = nullptr;
}

void Queue::submit(const sgio_request* reqs, uint32_t count, uint32_t& accepted) {
  accepted = 0;
  if (count == 0) return;
  if (!reqs) fail(Errc::invalid_argument, "sgio_queue_submit: reqs is NULL");
  std::shared_lock backend_lock(backend_mu_);
  if (!backend_) fail(Errc::bad_handle, "the queue handle has been freed");

  // 1. Validate the longest valid prefix; remember why it stopped. The caller's request array and
  //    segment arrays are probed before they are read (posix/user_memory.hpp), so an unreadable
  //    one is SGIO_EFAULT for the request that has it, never SIGSEGV.
  struct Valid {
    std::shared_ptr<File> file;
    Access access;
    const Segment* segs;
    uint64_t count;
    uint64_t offset;
    uint64_t user_data;
    std::vector<Segment> cut;  // a direct read cut at end of file, else empty
  };
  std::vector<Valid> valid;
  valid.reserve(count);
  std::optional<Error> stop;
  uint32_t readable_count = count;  // requests before the first unreadable one
  if (!readable(reqs, size_t{count} * sizeof(sgio_request))) {
    readable_count = 0;
    while (readable_count < count && readable(reqs + readable_count, sizeof(sgio_request))) ++readable_count;
  }
  SegmentSnapshot snap;
  for (uint32_t i = 0; i < count; ++i) {
    try {
      if (i >= readable_count) throw Error(Errc::fault, "the request array is not readable memory", EFAULT);
      const sgio_request q = reqs[i];  // one read of the caller's request
      if (q.reserved != 0) fail(Errc::invalid_argument, "reserved field is not 0");
      Access access = access_of(q.op);
      std::shared_ptr<File> file = file_of(q.file);
      const Segment* segs = reinterpret_cast<const Segment*>(static_cast<uintptr_t>(q.segments));
      uint64_t total;
      // The backend reads the caller's array (kept valid until completion, sgio_queue.h); the
      // probe and copy are for validation.
      const Segment* checked = file->validate_caller(segs, q.count, q.offset, access, snap, total);
      std::vector<Segment> cut;
      // Only a direct read crossing the end needs the cut; one starting at or past it moves
      // nothing and the kernel leaves its buffers alone.
      if (access == Access::read) file->clamp_direct_read(checked, q.count, q.offset, cut);
      valid.push_back({std::move(file), access, segs, q.count, q.offset, q.user_data, std::move(cut)});
    } catch (const Error& e) {
      stop.emplace(e.code(), "request " + std::to_string(i) + ": " + e.what(), e.sys_errno());
      break;
    }
  }

  // 2. Claim depth and request records for the prefix; nothing is started yet.
  std::vector<IoRequest*> batch;
  batch.reserve(valid.size());
  {
    std::lock_guard lock(mu_);
    ensure_open_locked();
    uint32_t room = depth_ - in_flight_;
    if (valid.size() > room) {
      valid.resize(room);
      stop.emplace(Errc::busy, "request " + std::to_string(room) + ": the queue is full (" + std::to_string(depth_) +
                                   " requests in flight; wait for completions first)");
    }
    try {
      for (size_t i = 0; i < valid.size(); ++i) batch.push_back(take_request_locked());
    } catch (...) {
      for (IoRequest* r : batch) free_.push_back(static_cast<Request*>(r));
      throw;
    }
    for (size_t i = 0; i < valid.size(); ++i) {
      auto* r = static_cast<Request*>(batch[i]);
      r->queue = this;
      r->op = valid[i].access == Access::write ? OpKind::write_gather : OpKind::read_scatter;
      r->file = std::move(valid[i].file);
      r->segs = valid[i].segs;
      r->count = valid[i].count;
      r->offset = valid[i].offset;
      if (!valid[i].cut.empty()) {
        r->cut = std::move(valid[i].cut);
        r->segs = r->cut.data();
        r->count = r->cut.size();
      }
      r->user_data = valid[i].user_data;
      link_locked(r);
    }
    in_flight_ += static_cast<uint32_t>(batch.size());
  }

  // 3. One backend call for the batch. Completions may arrive (even inline) before it returns.
  if (!batch.empty()) {
    try {
      backend_->submit(batch.data(), batch.size());
    } catch (...) {
      // The backend started none of them.
      std::vector<std::shared_ptr<File>> files;
      std::lock_guard lock(mu_);
      for (IoRequest* io : batch) {
        auto* r = static_cast<Request*>(io);
        unlink_locked(r);
        files.push_back(std::move(r->file));
        free_.push_back(r);
      }
      in_flight_ -= static_cast<uint32_t>(batch.size());
      throw;
    }
  }
  accepted = static_cast<uint32_t>(batch.size());
  if (stop) throw *stop;
}

void Queue::on_complete(Request* r, uint64_t bytes, int error) noexcept {
  // The request's file reference goes before the completion is published: once a waiter can see
  // it, sgio_file_close() must find no reference but its own, so that the descriptor is closed
  // when close returns. (The backend has finished with the file: this is its last call.)
  // Outside the lock, because the last reference closes the descriptor.
  r->file.reset();
  {
    std::lock_guard lock(mu_);
    unlink_locked(r);
    --in_flight_;
    if (!closed_) {
      bool was_empty = done_.empty();
      done_.push_back(sgio_completion{r->user_data, bytes, status_of(error), 0});
      // Readable exactly while completions wait: set on the first, drained by wait() with the last.
      if (was_empty) {
        uint64_t one = 1;
        while (::write(event_fd_, &one, sizeof one) < 0 && errno == EINTR) {
        }
      }
    }
    free_.push_back(r);
  }
  cv_.notify_all();
}

uint32_t Queue::wait(sgio_completion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms) {
  std::unique_lock lock(mu_);
  ensure_open_locked();
  auto ready = [&] { return closed_ || done_.size() >= min_count; };
  if (timeout_ms == UINT32_MAX)
    cv_.wait(lock, ready);
  else if (timeout_ms > 0)
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready);
  ensure_open_locked();
  uint32_t n = 0;
  while (n < max_count && !done_.empty()) {
    out[n++] = done_.front();
    done_.pop_front();
  }
  if (done_.empty()) {
    uint64_t v;
    while (::read(event_fd_, &v, sizeof v) < 0 && errno == EINTR) {
    }
  }
  return n;
}

uint32_t Queue::cancel(uint64_t user_data) {
  std::shared_lock backend_lock(backend_mu_);
  std::lock_guard lock(mu_);
  ensure_open_locked();
  // Under mu_: a request cannot complete and be reused for another submission meanwhile.
  // Backends never call complete() from inside cancel(), so this cannot deadlock.
  uint32_t found = 0;
  for (Request* r = inflight_; r; r = r->next)
    if (r->user_data == user_data && backend_->cancel(r)) ++found;
  return found;
}

}  // namespace sgio::capi
