// SPDX-License-Identifier: Apache-2.0
#include "windows/queue.hpp"

#include <chrono>
#include <string>

#include "core/error.hpp"
#include "core/handle_table.hpp"
#include "windows/win_error.hpp"

namespace sgio {

namespace {

constexpr ULONG_PTR kFileKey = 0;
constexpr ULONG_PTR kWakeKey = 1;  // a packet that only wakes a thread in GetQueuedCompletionStatusEx
// Bound handles of closed files are swept once the map holds more than this.
constexpr size_t kBoundSweep = 64;

Access access_of(uint32_t op) {
  if (op == static_cast<uint32_t>(QueueOp::write_gather)) return Access::write;
  if (op == static_cast<uint32_t>(QueueOp::read_scatter)) return Access::read;
  fail(Errc::invalid_argument, "op " + std::to_string(op) + " is not SGIO_OP_WRITE_GATHER or SGIO_OP_READ_SCATTER");
}

}  // namespace

Queue::Queue(BackendKind backend, uint32_t depth) : Object(Kind::queue), depth_(depth) {
  if (backend == BackendKind::pool || backend == BackendKind::sync)
    fail(Errc::not_supported, "sgio_queue_create: on Windows the completion port is the only backend "
                              "(SGIO_BACKEND_AUTO or SGIO_BACKEND_URING)");
  port_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  if (!port_) throw_win32(GetLastError(), "sgio_queue_create: CreateIoCompletionPort");
}

Queue::~Queue() {
  // Normally on_close() has run; this covers a queue that never reached the handle table.
  for (auto& [value, b] : bound_) CloseHandle(b.handle);
  CloseHandle(port_);
}

int64_t Queue::event_fd() const {
  fail(Errc::not_supported, "sgio_queue_event_fd: Windows has no eventfd; wait with sgio_queue_wait");
}

void Queue::ensure_open_locked() const {
  if (closed_) fail(Errc::bad_handle, "the queue handle has been freed");
}

void* Queue::bound_handle_locked(uint64_t file_value, const std::shared_ptr<File>& file) {
  auto it = bound_.find(file_value);
  if (it != bound_.end()) {
    if (it->second.file.lock() == file) return it->second.handle;
    CloseHandle(it->second.handle);  // a closed file's handle: no request holds that file any more
    bound_.erase(it);
  }
  if (bound_.size() >= kBoundSweep) {
    for (auto b = bound_.begin(); b != bound_.end();) {
      if (b->second.file.expired()) {
        CloseHandle(b->second.handle);
        b = bound_.erase(b);
      } else {
        ++b;
      }
    }
  }
  HANDLE h = file->reopen();
  if (CreateIoCompletionPort(h, port_, kFileKey, 0) != port_) {
    DWORD err = GetLastError();
    CloseHandle(h);
    throw_win32(err, "CreateIoCompletionPort (binding a file to the queue)");
  }
  bound_.emplace(file_value, Bound{file, h});
  return h;
}

void Queue::start_one(const QueueRequest& req) {
  if (inflight_.size() >= depth_)
    fail(Errc::busy, "the queue is full: " + std::to_string(depth_) + " requests in flight (its depth)");
  const Access access = access_of(req.op);
  std::shared_ptr<File> file = handles().get_as<File>(req.file);
  SegmentSnapshot snap;
  uint64_t total;
  const Segment* segs =
      file->validate_caller(reinterpret_cast<const Segment*>(static_cast<uintptr_t>(req.segments)), req.count,
                            req.offset, access, snap, total);
  HANDLE h = bound_handle_locked(req.file, file);
  auto r = std::make_unique<Request>();
  r->user_data = req.user_data;
  r->file = file;
  r->io = std::make_unique<OverlappedIo>(*file, access, segs, req.count, req.offset);
  OverlappedIo* io = r->io.get();
  inflight_.emplace(io, std::move(r));
  io->start(h);
  if (io->finished()) finish_locked(io);
}

void Queue::submit(const QueueRequest* reqs, uint32_t count, uint32_t& accepted, QueuePeek*) {
  accepted = 0;
  if (!reqs && count > 0) fail(Errc::invalid_argument, "sgio_queue_submit: reqs is NULL");
  std::lock_guard lock(mu_);
  ensure_open_locked();
  for (uint32_t i = 0; i < count; ++i) {
    try {
      start_one(reqs[i]);
    } catch (const Error& e) {
      throw Error(e.code(), "request " + std::to_string(i) + ": " + e.what(), e.sys_errno());
    }
    ++accepted;
  }
}

void Queue::finish_locked(OverlappedIo* io) {
  auto it = inflight_.find(io);
  if (it == inflight_.end()) return;
  done_.push_back(QueueCompletion{it->second->user_data, io->bytes(), io->error()});
  inflight_.erase(it);
}

void Queue::dispatch_locked(const OVERLAPPED_ENTRY* entries, ULONG n) {
  const size_t before = done_.size();
  for (ULONG k = 0; k < n; ++k) {
    if (entries[k].lpCompletionKey == kWakeKey || !entries[k].lpOverlapped) continue;
    auto* piece = reinterpret_cast<OverlappedIo::Piece*>(entries[k].lpOverlapped);
    if (piece->owner->on_packet(piece)) finish_locked(piece->owner);
  }
  // Other waiters may be asleep in the port while what they wait for is now in done_.
  if (done_.size() > before)
    for (uint32_t w = 1; w < waiters_; ++w) PostQueuedCompletionStatus(port_, 0, kWakeKey, nullptr);
}

bool Queue::pump(std::unique_lock<std::mutex>& lock, DWORD timeout_ms) {
  OVERLAPPED_ENTRY entries[64];
  ULONG n = 0;
  lock.unlock();
  BOOL ok = GetQueuedCompletionStatusEx(port_, entries, 64, &n, timeout_ms, FALSE);
  DWORD err = ok ? 0 : GetLastError();
  lock.lock();
  if (!ok) {
    if (err == WAIT_TIMEOUT) return false;
    throw_win32(err, "GetQueuedCompletionStatusEx");
  }
  dispatch_locked(entries, n);
  return n > 0;
}

uint32_t Queue::wait(QueueCompletion* out, uint32_t max_count, uint32_t min_count, uint32_t timeout_ms) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::unique_lock lock(mu_);
  ensure_open_locked();
  for (;;) {
    // What has already arrived, without sleeping.
    while (!inflight_.empty() && pump(lock, 0)) ensure_open_locked();
    ensure_open_locked();
    if (done_.size() >= min_count || timeout_ms == 0) break;
    DWORD left = INFINITE;
    if (timeout_ms != UINT32_MAX) {
      auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
      if (spent >= timeout_ms) break;
      left = static_cast<DWORD>(timeout_ms - spent);
    }
    ++waiters_;
    try {
      pump(lock, left);
    } catch (...) {
      --waiters_;
      throw;
    }
    --waiters_;
    ensure_open_locked();
  }
  uint32_t n = 0;
  while (n < max_count && !done_.empty()) {
    out[n++] = done_.front();
    done_.pop_front();
  }
  return n;
}

uint32_t Queue::cancel(uint64_t user_data) {
  std::lock_guard lock(mu_);
  ensure_open_locked();
  uint32_t found = 0;
  for (auto& [io, r] : inflight_)
    if (r->user_data == user_data && io->cancel() > 0) ++found;
  return found;
}

void Queue::on_close() {
  std::unique_lock lock(mu_);
  closed_ = true;
  for (auto& [io, r] : inflight_) io->cancel();
  for (uint32_t w = 0; w < waiters_; ++w) PostQueuedCompletionStatus(port_, 0, kWakeKey, nullptr);
  // Every buffer is let go only when the last packet has come back; waiters may take some of them.
  while (!inflight_.empty()) pump(lock, 50);
  done_.clear();
  for (auto& [value, b] : bound_) CloseHandle(b.handle);
  bound_.clear();
}

}  // namespace sgio
