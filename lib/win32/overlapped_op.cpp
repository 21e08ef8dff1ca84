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

struct Starter {
  static std::shared_ptr<OverlappedOp> make(const std::shared_ptr<Win32File>& file, Overlapped* ov,
                                            std::shared_ptr<Event> event, bool sync_success_returns_true,
                                            CompletionRoutine routine) {
    auto op = std::make_shared<OverlappedOp>();
    op->routine_ = std::move(routine);
    op->ov = ov;
    op->owner = file;
    op->file = file;
    op->event_ = std::move(event);
    uintptr_t key = 0;
    // An event handle with its low bit set keeps the completion off the port.
    bool to_port = (reinterpret_cast<uintptr_t>(ov->event) & 1) == 0;
    if (to_port) op->port_ = file->port(key);
    op->key_ = key;
    op->skip_port_on_sync_success_ =
        sync_success_returns_true && (file->notification_modes() & skip_port_on_success) != 0;
    op->submitter_ = std::this_thread::get_id();
    return op;
  }

  static void begin(OverlappedOp& op) noexcept {
    store_result(op.ov, nt::pending, 0);
    if (op.event_) op.event_->reset();
  }

  static StartResult result(const OverlappedOp& op) noexcept {
    StartResult r;
    r.completed = op.completed_inline_;
    r.status = op.inline_status_;
    r.bytes = op.inline_bytes_;
    return r;
  }

  static void set_submitting(OverlappedOp& op, bool on) noexcept { op.submitting_.store(on, std::memory_order_release); }
};

void OverlappedOp::complete(uint64_t bytes, int error) noexcept {
  const uint32_t status = final_status(*this, bytes, error);
  const bool in_call = submitting_.load(std::memory_order_acquire) && std::this_thread::get_id() == submitter_;
  if (in_call) {
    completed_inline_ = true;
    inline_status_ = status;
    inline_bytes_ = bytes;
  }
  done_.store(true, std::memory_order_release);
  Overlapped* const caller_ov = ov;
  store_result(caller_ov, status, static_cast<uintptr_t>(bytes));
  if (event_) event_->set();
  if (routine_) routine_(status, bytes, in_call);
  const bool skip = in_call && status == nt::success && skip_port_on_sync_success_;
  if (port_ && !skip) port_->post(Packet{key_, caller_ov, status, static_cast<uint32_t>(bytes)});
  // Leaving the registry drops this request's references to the file and then wakes
  // GetOverlappedResult and CloseHandle (Win32File::untrack, all under the file's lock): when
  // CloseHandle returns, the descriptor is closed. The last reference to this request may be
  // `self`; nothing touches a member after it.
  Win32File* const f = owner.get();
  std::shared_ptr<OverlappedOp> self = f->untrack(this);
  self.reset();
}

StartResult start_overlapped(const std::shared_ptr<Win32File>& file, OpKind kind, std::vector<Segment> segments,
                             Overlapped* ov, std::shared_ptr<Event> event,
                             bool sync_success_returns_true, CompletionRoutine routine) {
  Backend& backend = io_backend();
  std::shared_ptr<OverlappedOp> op =
      Starter::make(file, ov, std::move(event), sync_success_returns_true, std::move(routine));
  op->op = kind;
  op->segments = std::move(segments);
  op->segs = op->segments.data();
  op->count = op->segments.size();
  op->offset = ov->file_offset();
  op->backend = &backend;
  Starter::begin(*op);
  file->track(op);
  IoRequest* req = op.get();
  Starter::set_submitting(*op, true);
  try {
    backend.submit(&req, 1);
  } catch (const Error& e) {
    Starter::set_submitting(*op, false);
    file->untrack(op.get());
    store_result(ov, ntstatus_from_errno(e.sys_errno() ? e.sys_errno() : EIO), 0);
    throw;
  }
  Starter::set_submitting(*op, false);
  return Starter::result(*op);
}

StartResult complete_now(const std::shared_ptr<Win32File>& file, Overlapped* ov, std::shared_ptr<Event> event,
                         bool sync_success_returns_true, uint32_t status, CompletionRoutine routine) {
  std::shared_ptr<OverlappedOp> op =
      Starter::make(file, ov, std::move(event), sync_success_returns_true, std::move(routine));
  op->op = status == nt::end_of_file ? OpKind::read_scatter : OpKind::write_gather;
  op->count = status == nt::end_of_file ? 1 : 0;  // final_status(): 0 bytes of 1 is end of file
  op->offset = ov->file_offset();
  Starter::begin(*op);
  file->track(op);
  Starter::set_submitting(*op, true);
  op->complete(0, 0);
  Starter::set_submitting(*op, false);
  return Starter::result(*op);
}

}  // namespace sgio::win32
