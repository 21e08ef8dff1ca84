// SPDX-License-Identifier: Apache-2.0
#include "win32/overlapped_op.hpp"

#include <cerrno>

#include "win32/io_backend.hpp"
#include "win32/nt_status.hpp"

namespace sgio::win32 {

namespace {

// The NTSTATUS of a finished transfer. A read that moved nothing for a non-empty request started
// at or beyond end of file.
uint32_t final_status(const IoRequest& r, uint64_t bytes, int error) noexcept {
  if (error != 0) return ntstatus_from_errno(error);
  if (r.op == OpKind::read_scatter && bytes == 0 && r.count != 0) return nt::end_of_file;
  return nt::success;
}

}  // namespace

// The record pool and the per-file lists, all under the engine's mutex.
struct Starter {
  static OverlappedOp*& free_list() noexcept {
    static OverlappedOp* head = nullptr;
    return head;
  }

  static OverlappedOp* take_locked() {
    OverlappedOp* op = free_list();
    if (op) {
      free_list() = op->next_free_;
    } else {
      op = new OverlappedOp;  // warm-up only: records are never freed (completions may outlive statics)
    }
    op->next_free_ = nullptr;
    ++op->generation_;
    return op;
  }

  static std::shared_ptr<CompletionPort> port_of(const OverlappedOp& op) noexcept { return op.port_; }

  static void give_back_locked(OverlappedOp* op) noexcept {
    op->file.reset();
    op->owner_.reset();
    op->event_.reset();
    op->port_.reset();
    op->routine_ = nullptr;
    op->in_call_ = nullptr;
    op->next_free_ = free_list();
    free_list() = op;
  }

  static void link_locked(Win32File& f, OverlappedOp* op) noexcept {
    op->file_prev_ = nullptr;
    op->file_next_ = f.in_flight_;
    if (f.in_flight_) f.in_flight_->file_prev_ = op;
    f.in_flight_ = op;
    ++f.in_flight_count_;
  }

  static void unlink_locked(Win32File& f, OverlappedOp* op) noexcept {
    if (op->file_prev_)
      op->file_prev_->file_next_ = op->file_next_;
    else
      f.in_flight_ = op->file_next_;
    if (op->file_next_) op->file_next_->file_prev_ = op->file_prev_;
    op->file_prev_ = op->file_next_ = nullptr;
    --f.in_flight_count_;
    f.cv_.notify_all();
  }

  // Everything up to the backend call; `lock` holds the engine's mutex. Throws before linking.
  static OverlappedOp* prepare_locked(const std::shared_ptr<Win32File>& file, Overlapped* ov, std::shared_ptr<Event>& event,
                                      std::shared_ptr<CompletionPort>& port, uintptr_t key, bool skip,
                                      StartResult* result, CompletionRoutine& routine) {
    if (file->closing_.load()) fail_win32(err::invalid_handle, "the handle is being closed");
    OverlappedOp* op = take_locked();
    op->ov_ = ov;
    op->owner_ = file;
    op->file = file;
    op->key = reinterpret_cast<uintptr_t>(ov);
    op->offset = ov->file_offset();
    op->event_ = std::move(event);
    op->result_awaited = port != nullptr;
    op->port_ = std::move(port);
    op->port_key_ = key;
    op->skip_port_on_sync_success_ = skip;
    op->submitter_ = std::this_thread::get_id();
    op->in_call_ = result;
    op->routine_ = std::move(routine);
    return op;
  }
};

bool OverlappedOp::complete(uint64_t bytes, int error) noexcept {
  // Runs under the engine's mutex.
  const uint32_t status = final_status(*this, bytes, error);
  const bool in_call = in_call_ && std::this_thread::get_id() == submitter_;
  if (in_call) *in_call_ = StartResult{true, status, bytes};
  in_call_ = nullptr;
  store_result(ov_, status, static_cast<uintptr_t>(bytes));
  // Another thread can only be waiting for this result through the event or the port: within
  // the starting call, the OVERLAPPED is not yet the caller's to wait on.
  bool others_may_wait = !in_call;
  if (event_) {
    event_->signal();
    others_may_wait = true;
  }
  if (routine_) routine_(status, bytes, in_call);
  if (port_) {
    if (in_call && status == nt::success && skip_port_on_sync_success_) {
      port_->unreserve();
    } else {
      port_->post_reserved(Packet{port_key_, ov_, status, static_cast<uint32_t>(bytes)});
      others_may_wait = true;
    }
  }
  // Leaving the file's list drops this request's references to the file and then wakes
  // GetOverlappedResult and CloseHandle: when CloseHandle returns, the descriptor is closed. These
  // are never the last references: the handle table, or the CloseHandle call waiting in
  // on_close(), holds one while a request is in the list.
  Win32File& f = *owner_;
  file.reset();
  std::shared_ptr<Win32File> keep = std::move(owner_);
  Starter::unlink_locked(f, this);
  Starter::give_back_locked(this);
  return others_may_wait;
}

namespace {

// Port room and the notification mode, before the engine's lock.
std::shared_ptr<CompletionPort> bound_port(const Win32File& file, const Overlapped* ov, bool sync_success_returns_true,
                                           uintptr_t& key, bool& skip) {
  uint8_t modes = 0;
  key = 0;
  skip = false;
  // An event handle with its low bit set keeps the completion off the port.
  if ((reinterpret_cast<uintptr_t>(ov->event) & 1) != 0) return nullptr;
  std::shared_ptr<CompletionPort> port = file.port_and_modes(key, modes);
  skip = sync_success_returns_true && (modes & skip_port_on_success) != 0;
  if (port) port->reserve();  // may throw std::bad_alloc: nothing has started
  return port;
}

// What every start shares: the port's room, OVERLAPPED pending, hEvent reset, then (with the
// engine's lock taken into `lock`) a record. Throws with nothing reserved and the lock released.
OverlappedOp* begin(Backend& backend, std::unique_lock<std::mutex>& lock, const std::shared_ptr<Win32File>& file,
                    Overlapped* ov, std::shared_ptr<Event> event, bool sync_success_returns_true, StartResult* result,
                    CompletionRoutine& routine) {
  uintptr_t key;
  bool skip;
  std::shared_ptr<CompletionPort> port = bound_port(*file, ov, sync_success_returns_true, key, skip);
  CompletionPort* reserved = port.get();
  store_result(ov, nt::pending, 0);
  if (event) event->reset();
  lock = std::unique_lock(backend.mutex());
  try {
    return Starter::prepare_locked(file, ov, event, port, key, skip, result, routine);
  } catch (...) {
    lock.unlock();
    if (reserved) reserved->unreserve();
    throw;
  }
}

// Undoes a start that failed after begin(); `lock` holds the engine's mutex and is released.
void abandon(OverlappedOp* op, std::unique_lock<std::mutex>& lock) noexcept {
  std::shared_ptr<CompletionPort> port = Starter::port_of(*op);
  Starter::give_back_locked(op);
  lock.unlock();
  if (port) port->unreserve();
}

}  // namespace

StartResult start_overlapped(const std::shared_ptr<Win32File>& file, OpKind kind, const Segment* segs, uint64_t count,
                             Overlapped* ov, std::shared_ptr<Event> event, bool sync_success_returns_true,
                             CompletionRoutine routine) {
  Backend& backend = io_backend();
  StartResult result;
  std::unique_lock<std::mutex> lock;
  OverlappedOp* op =
      begin(backend, lock, file, ov, std::move(event), sync_success_returns_true, &result, routine);
  try {
    op->segments_.assign(segs, segs + count);  // the record's capacity: no allocation once warm
  } catch (...) {
    abandon(op, lock);
    throw;
  }
  op->op = kind;
  op->segs = op->segments_.data();
  op->count = count;
  const uint64_t generation = op->generation_;
  Starter::link_locked(*file, op);
  IoRequest* req = op;
  try {
    backend.submit_locked(lock, &req, 1);
  } catch (const Error& e) {
    Starter::unlink_locked(*file, op);
    abandon(op, lock);
    store_result(ov, ntstatus_from_errno(e.sys_errno() ? e.sys_errno() : EIO), 0);
    throw;
  }
  // Still in flight (or finished on another thread): it must not write into this frame later.
  if (op->generation_ == generation) op->in_call_ = nullptr;
  return result;
}

StartResult complete_now(const std::shared_ptr<Win32File>& file, Overlapped* ov, std::shared_ptr<Event> event,
                         bool sync_success_returns_true, uint32_t status, CompletionRoutine routine) {
  StartResult result;
  Backend& backend = io_backend();
  std::unique_lock<std::mutex> lock;
  OverlappedOp* op = begin(backend, lock, file, ov, std::move(event), sync_success_returns_true, &result, routine);
  op->op = status == nt::end_of_file ? OpKind::read_scatter : OpKind::write_gather;
  op->count = status == nt::end_of_file ? 1 : 0;  // final_status(): 0 bytes of 1 is end of file
  op->segs = nullptr;
  Starter::link_locked(*file, op);
  const bool others_may_wait = op->complete(0, 0);
  lock.unlock();
  // This completion never went through the ring: a thread already leading in the kernel (blocked
  // in GetQueuedCompletionStatus on the bound port, or on hEvent) would not see the packet or the
  // signal until some other CQE arrived.
  if (others_may_wait) backend.wake_leader();
  return result;
}

}  // namespace sgio::win32
