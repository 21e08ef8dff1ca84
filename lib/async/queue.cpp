// SPDX-License-Identifier: Apache-2.0
#include "async/queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/handle_table.hpp"

namespace sgio {

struct Queue::Valid {
  std::shared_ptr<File> file;
  OpKind op;
  const Segment* segs;
  uint64_t count;
  uint64_t offset;
  uint64_t user_data;
  std::vector<Segment> cut;  // a direct read cut at end of file, else empty
};

namespace {

void signal_fd(int fd) noexcept {
  uint64_t one = 1;
  while (::write(fd, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void drain_fd(int fd) noexcept {
  uint64_t v;
  while (::read(fd, &v, sizeof v) < 0 && errno == EINTR) {
  }
}

OpKind op_of(uint32_t op) {
  if (op == static_cast<uint32_t>(QueueOp::write_gather)) return OpKind::write_gather;
  if (op == static_cast<uint32_t>(QueueOp::read_scatter)) return OpKind::read_scatter;
  fail(Errc::invalid_argument, "op " + std::to_string(op) + " is not SGIO_OP_WRITE_GATHER or SGIO_OP_READ_SCATTER");
}

}  // namespace

bool Queue::Request::complete(uint64_t b, int e) noexcept {
  // Runs with the backend's mutex held. The file reference goes before the completion is
  // published: once a waiter can see it, sgio_file_close() must find no reference but its own.
  Queue& q = *queue;
  file.reset();
  --q.in_flight_;
  QueuePeek* taker = std::exchange(own, nullptr);
  if (taker && taker->n < taker->max && !q.closed_) {
    // The submitting thread takes it back: nothing a waiter looks at has changed, except the
    // in-flight count that on_close waits on (closed_ is then set: the branch below), so no wake.
    taker->out[taker->n++] = QueueCompletion{key, b, e == 0 ? Errc{} : errc_from_errno(e)};
    q.give_back_locked(this);
    return false;
  }
  if (q.closed_) {
    q.give_back_locked(this);
  } else {
    bytes = b;
    error = e == 0 ? Errc{} : errc_from_errno(e);
    next_free = nullptr;
    if (q.done_tail_)
      q.done_tail_->next_free = this;
    else
      q.done_head_ = this;
    q.done_tail_ = this;
    ++q.done_count_;
    // Readable exactly while completions wait: set on the first, drained by wait() with the last.
    if (q.fd_wanted_ && !q.fd_signalled_) {
      q.fd_signalled_ = true;
      signal_fd(q.event_fd_);
    }
  }
  q.cv_.notify_all();
  return true;
}

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
  // Normally on_close() has run; this covers a queue that never reached the handle table. The
  // backend's destructor cancels and waits for whatever is still in flight.
  {
    std::lock_guard lock(backend_->mutex());
    closed_ = true;
  }
  backend_.reset();
  ::close(event_fd_);
}

void Queue::on_close() {
  std::unique_lock lock(backend_->mutex());
  if (closed_) return;
  closed_ = true;
  cv_.notify_all();  // waiters leave with bad_handle
  // Completed requests not waited for are dropped; those in flight are cancelled and waited for,
  // so no buffer is in the kernel's hands when sgio_queue_free returns.
  while (Request* r = done_head_) {
    done_head_ = r->next_free;
    give_back_locked(r);
  }
  done_tail_ = nullptr;
  done_count_ = 0;
  backend_->cancel_all_locked();
  lock.unlock();
  backend_->wake_leader();  // a waiter leading in the kernel re-checks and leaves
  lock.lock();
  // Wait for the last completion, reaping if need be.
  backend_->wait(lock, cv_, [&] { return in_flight_ == 0; }, kForever);
  if (fd_signalled_) {
    fd_signalled_ = false;
    drain_fd(event_fd_);
  }
}

void Queue::ensure_open_locked() const {
  if (closed_) fail(Errc::bad_handle, "the queue handle has been freed");
}

Queue::Request* Queue::take_locked() {
  if (!free_) {
    all_.push_back(std::make_unique<Request>());
    all_.back()->queue = this;
    return all_.back().get();
  }
  Request* r = free_;
  free_ = r->next_free;
  r->next_free = nullptr;
  return r;
}

void Queue::give_back_locked(Request* r) noexcept {
  r->next_free = free_;
  free_ = r;
}

void Queue::submit(const QueueRequest* reqs, uint32_t count, uint32_t& accepted, QueuePeek* own) {
  accepted = 0;
  if (count == 0) return;
  if (!reqs) fail(Errc::invalid_argument, "sgio_queue_submit: reqs is NULL");
  Valid valid[kBatch];
  for (uint32_t base = 0; base < count; base += kBatch) {
    // 1. Validate (outside the lock) the longest valid prefix of this batch; remember why it
    //    stopped. The caller's segment arrays are probed before they are read
    //    (posix/user_memory.hpp), so an unreadable one is Error(fault), never SIGSEGV.
    const uint32_t n = std::min(kBatch, count - base);
    uint32_t good = 0;
    std::optional<Error> stop;
    SegmentSnapshot snap;
    for (; good < n; ++good) {
      const uint32_t i = base + good;
      try {
        const QueueRequest& q = reqs[i];
        Valid& v = valid[good];
        v.op = op_of(q.op);
        const Access access = v.op == OpKind::write_gather ? Access::write : Access::read;
        v.file = handles().get_as<File>(q.file);
        v.segs = reinterpret_cast<const Segment*>(static_cast<uintptr_t>(q.segments));
        uint64_t total;
        // The backend reads the caller's array (kept valid until completion, sgio_queue.h); the
        // probe and copy are for validation.
        const Segment* checked = v.file->validate_caller(v.segs, q.count, q.offset, access, snap, total);
        v.count = q.count;
        v.offset = q.offset;
        v.user_data = q.user_data;
        v.cut.clear();
        // Only a direct read crossing the end needs the cut; one starting at or past it moves
        // nothing and the kernel leaves its buffers alone.
        if (access == Access::read) v.file->clamp_direct_read(checked, q.count, q.offset, v.cut);
      } catch (const Error& e) {
        stop.emplace(e.code(), "request " + std::to_string(i) + ": " + e.what(), e.sys_errno());
        break;
      }
    }
    // 2. Start them with one lock and one backend call.
    bool full = false;
    uint32_t started = 0;
    submit_batch(valid, good, started, full, own);
    accepted += started;
    for (uint32_t k = 0; k < good; ++k) valid[k].file.reset();
    if (full)
      throw Error(Errc::busy, "request " + std::to_string(accepted) + ": the queue is full (" +
                                  std::to_string(depth_) + " requests in flight; wait for completions first)");
    if (stop) throw *stop;
  }
}

void Queue::submit_batch(const Valid* valid, uint32_t n, uint32_t& started, bool& full, QueuePeek* own) {
  started = 0;
  if (n == 0) return;
  IoRequest* batch[kBatch];
  std::unique_lock lock(backend_->mutex());
  ensure_open_locked();
  const uint32_t room = depth_ - in_flight_;
  if (n > room) {
    n = room;
    full = true;
  }
  uint32_t taken = 0;
  try {
    for (; taken < n; ++taken) batch[taken] = take_locked();
  } catch (...) {
    for (uint32_t k = 0; k < taken; ++k) give_back_locked(static_cast<Request*>(batch[k]));
    throw;
  }
  for (uint32_t k = 0; k < n; ++k) {
    auto* r = static_cast<Request*>(batch[k]);
    const Valid& v = valid[k];
    r->op = v.op;
    r->file = v.file;
    r->segs = v.segs;
    r->count = v.count;
    r->offset = v.offset;
    r->key = v.user_data;
    r->own = own;
    if (!v.cut.empty()) {
      r->cut = v.cut;  // rare: a direct read across end of file
      r->segs = r->cut.data();
      r->count = r->cut.size();
    }
  }
  in_flight_ += n;
  try {
    // Completions may arrive (even on this thread) before it returns.
    backend_->submit_locked(lock, batch, n);
  } catch (...) {
    // The backend started none of them.
    in_flight_ -= n;
    for (uint32_t k = 0; k < n; ++k) {
      auto* r = static_cast<Request*>(batch[k]);
      r->file.reset();
      r->own = nullptr;
      give_back_locked(r);
    }
    cv_.notify_all();
    throw;
  }
  started = n;
  // The call is over for the requests still in flight: they complete to the list. A record that
  // completed meanwhile may already carry another caller's request; only ours is cleared.
  if (own)
    for (uint32_t k = 0; k < n; ++k)
      if (auto* r = static_cast<Request*>(batch[k]); r->own == own) r->own = nullptr;
}

uint32_t Queue::wait(QueueCompletion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms) {
  std::unique_lock lock(backend_->mutex());
  ensure_open_locked();
  if (timeout_ms != 0 && done_count_ < min_count)
    backend_->wait(lock, cv_, [&] { return closed_ || done_count_ >= min_count; }, deadline_after(timeout_ms));
  ensure_open_locked();
  uint32_t n = 0;
  while (n < max_count && done_head_) {
    Request* r = done_head_;
    done_head_ = r->next_free;
    out[n++] = QueueCompletion{r->key, r->bytes, r->error};
    backend_->note_result_taken(r->key);
    give_back_locked(r);
  }
  done_count_ -= n;
  if (!done_head_) {
    done_tail_ = nullptr;
    if (fd_signalled_) {
      fd_signalled_ = false;
      drain_fd(event_fd_);
    }
  }
  return n;
}

uint32_t Queue::cancel(uint64_t user_data) {
  std::unique_lock lock(backend_->mutex());
  ensure_open_locked();
  // One lock: the backend's cancel runs under the same mutex as completions, and never completes
  // a request itself (Backend::cancel_locked), so nothing is reused while the bucket is walked.
  return static_cast<uint32_t>(backend_->cancel_key_locked(user_data, [](const IoRequest&) { return true; }));
}

int64_t Queue::event_fd() {
  std::lock_guard lock(backend_->mutex());
  if (!fd_wanted_) {
    fd_wanted_ = true;
    if (done_head_ && !fd_signalled_) {  // completions already waiting: readable from now on
      fd_signalled_ = true;
      signal_fd(event_fd_);
    }
  }
  return event_fd_;
}

}  // namespace sgio
