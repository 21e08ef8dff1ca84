// SPDX-License-Identifier: Apache-2.0
// ReadFileEx / WriteFileEx (completion routines as APCs of the calling thread) and SleepEx (the
// alertable wait that runs them). The queue is lib/win32/apc.
#include <chrono>
#include <thread>

#include "win32/apc.hpp"
#include "win32/overlapped_op.hpp"
#include "win32/w32_guard.hpp"

using namespace sgio;
using namespace sgio::capi::w32;

namespace {

// ReadFileEx / WriteFileEx: an overlapped transfer whose end is queued to this thread as an APC
// calling `routine(Win32 code, bytes, lpOverlapped)`. hEvent is the caller's own (ignored, as on
// Windows). A failure inside the call is the call's FALSE and queues nothing.
BOOL transfer_ex(OpKind kind, HANDLE hFile, void* buffer, DWORD bytes, LPOVERLAPPED lpOverlapped,
                 LPOVERLAPPED_COMPLETION_ROUTINE routine) {
  const bool write = kind == OpKind::write_gather;
  const char* fn = write ? "WriteFileEx" : "ReadFileEx";
  std::shared_ptr<win32::Win32File> f = win32_file(hFile);
  check_access(*f, kind, fn);
  if (!f->overlapped()) win32::fail_invalid_parameter(std::string(fn) + ": the handle was not opened with FILE_FLAG_OVERLAPPED");
  uintptr_t key = 0;
  if (f->port(key))
    win32::fail_invalid_parameter(std::string(fn) + ": the handle is bound to a completion port (use ReadFile/WriteFile)");
  if (!lpOverlapped) win32::fail_invalid_parameter(std::string(fn) + ": lpOverlapped is NULL");
  if (!routine) win32::fail_invalid_parameter(std::string(fn) + ": lpCompletionRoutine is NULL");
  if (bytes != 0 && !buffer) win32::fail_invalid_parameter(std::string(fn) + ": the buffer is NULL");
  win32::Overlapped* ov = to_engine(lpOverlapped);
  Segment seg{reinterpret_cast<uintptr_t>(buffer), bytes};
  if (bytes != 0) f->validate(&seg, 1, ov->file_offset(), write ? Access::write : Access::read);
  const DWORD n = write ? bytes : static_cast<DWORD>(f->direct_read_limit(ov->file_offset(), bytes));
  if (n == 0 && bytes != 0) {
    // A read at or beyond end of file fails in the call (STATUS_END_OF_FILE is not pending).
    win32::store_result(ov, win32::nt::end_of_file, 0);
    return fail_with(ERROR_HANDLE_EOF);
  }
  std::shared_ptr<win32::ApcQueue> queue = win32::current_apc_queue();
  win32::CompletionRoutine on_end = [queue, routine, lpOverlapped](uint32_t status, uint64_t done, bool in_call) {
    if (in_call && !win32::nt_success(status)) return;  // the call itself reports it
    const DWORD code = win32::win32_from_ntstatus(status);
    const DWORD count = static_cast<DWORD>(done);
    queue->queue([routine, code, count, lpOverlapped] { routine(code, count, lpOverlapped); });
  };
  win32::StartResult r;
  if (n == 0) {
    r = win32::complete_now(f, ov, nullptr, true, win32::nt::success, std::move(on_end));
  } else {
    seg.length = n;
    r = win32::start_overlapped(f, kind, &seg, 1, ov, nullptr, true, std::move(on_end));
  }
  if (r.completed && !win32::nt_success(r.status)) return fail_with(win32::win32_from_ntstatus(r.status));
  set_last_error(ERROR_SUCCESS);
  return BOOL{TRUE};
}

}  // namespace

extern "C" {

SGIO_API BOOL SGIO_CALL ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPOVERLAPPED lpOverlapped,
                                   LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return transfer_ex(OpKind::read_scatter, hFile, lpBuffer, nNumberOfBytesToRead, lpOverlapped, lpCompletionRoutine);
  });
}

SGIO_API BOOL SGIO_CALL WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                    LPOVERLAPPED lpOverlapped,
                                    LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return transfer_ex(OpKind::write_gather, hFile, const_cast<void*>(lpBuffer), nNumberOfBytesToWrite, lpOverlapped,
                       lpCompletionRoutine);
  });
}

SGIO_API DWORD SGIO_CALL SleepEx(DWORD dwMilliseconds, BOOL bAlertable) noexcept {
  return w32_guard(DWORD{0}, [&] {
    if (bAlertable)
      return win32::current_apc_queue()->alertable_wait(win32::Deadline(dwMilliseconds)) ? DWORD{WAIT_IO_COMPLETION}
                                                                                          : DWORD{0};
    if (dwMilliseconds == INFINITE) {
      for (;;) std::this_thread::sleep_for(std::chrono::hours(24));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(dwMilliseconds));
    return DWORD{0};
  });
}

}  // extern "C"
