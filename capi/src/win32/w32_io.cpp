// SPDX-License-Identifier: Apache-2.0
// WriteFileGather, ReadFileScatter, WriteFile, ReadFile, GetOverlappedResult(Ex), CancelIo(Ex).
#include <algorithm>
#include <cerrno>
#include <limits>
#include <vector>

#include "core/memory.hpp"
#include "posix/user_memory.hpp"
#include "posix/vector_io.hpp"
#include "win32/io_backend.hpp"
#include "win32/overlapped_op.hpp"
#include "win32/w32_guard.hpp"

using namespace sgio;
using namespace sgio::capi::w32;
using win32::fail_invalid_parameter;
using win32::fail_win32;

namespace {

constexpr uint64_t kMaxOffset = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// WriteFileGather / ReadFileScatter: the checks Windows makes, in Windows' order where it matters
// (handle and access before the handle's flags), then one engine request for the whole array.
BOOL scatter_gather(OpKind kind, HANDLE hFile, FILE_SEGMENT_ELEMENT* segs, DWORD bytes, LPDWORD reserved,
                    LPOVERLAPPED lpOverlapped) {
  const DWORD requested = bytes;
  const std::string fn = kind == OpKind::write_gather ? "WriteFileGather" : "ReadFileScatter";
  if (!lpOverlapped) fail_invalid_parameter(fn + ": lpOverlapped is NULL");
  std::shared_ptr<win32::Win32File> f = win32_file(hFile);
  check_access(*f, kind, fn.c_str());
  if (!f->overlapped()) fail_invalid_parameter(fn + ": the handle was not opened with FILE_FLAG_OVERLAPPED");
  if (!f->no_buffering()) fail_invalid_parameter(fn + ": the handle was not opened with FILE_FLAG_NO_BUFFERING");
  if (reserved) fail_invalid_parameter(fn + ": lpReserved must be NULL");
  win32::Overlapped* ov = to_engine(lpOverlapped);
  const uint64_t offset = ov->file_offset();
  const uint32_t sector = f->alignment().offset;
  if (bytes % sector != 0)
    fail_invalid_parameter(fn + ": " + std::to_string(bytes) + " bytes is not a multiple of the sector size " +
                           std::to_string(sector));
  if (offset % sector != 0)
    fail_invalid_parameter(fn + ": offset " + std::to_string(offset) + " is not a multiple of the sector size " +
                           std::to_string(sector));
  if (offset > kMaxOffset - bytes) fail_invalid_parameter(fn + ": the offset is beyond INT64_MAX");
  std::shared_ptr<win32::Event> event = overlapped_event(lpOverlapped->hEvent);
  const bool write = kind == OpKind::write_gather;

  win32::StartResult r;
  if (bytes != 0 && !segs) fail_invalid_parameter(fn + ": aSegmentArray is NULL");
  // One system page per element, the last one the remainder; the elements after the byte count
  // (the NULL terminator) are not read. The caller's array is read only through a copy
  // (copy_from_caller), before anything else looks at it: an unreadable one is ERROR_NOACCESS, as
  // on Windows, not SIGSEGV.
  const uint64_t page = page_size();
  // Per-thread scratch: its capacity stays, so a warm thread converts without allocating.
  thread_local std::vector<uint64_t> elements;
  thread_local std::vector<Segment> list;
  elements.resize((bytes + page - 1) / page);
  if (!copy_from_caller(elements.data(), segs, elements.size() * sizeof(FILE_SEGMENT_ELEMENT)))
    throw Error(Errc::fault, fn + ": aSegmentArray is not readable memory", EFAULT);
  // A direct read is cut at end of file rounded up to the sector (File::direct_read_limit: the
  // kernel would zero the caller's buffer past it, Windows leaves those bytes alone).
  if (!write && bytes != 0) bytes = static_cast<DWORD>(f->direct_read_limit(offset, bytes));
  if (bytes == 0) {
    // Nothing to move: a zero-byte request, or a read at end of file (ERROR_HANDLE_EOF through
    // the packet and GetOverlappedResult, as for any other completion).
    const bool eof = !write && requested != 0;
    r = win32::complete_now(f, ov, std::move(event), write, eof ? win32::nt::end_of_file : win32::nt::success);
  } else {
    const uint64_t n = (bytes + page - 1) / page;
    list.clear();
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t b = elements[i];
      if (b == 0)
        fail_invalid_parameter(fn + ": segment " + std::to_string(i) + " is NULL before the byte count is covered");
      if (b % page != 0)
        fail_invalid_parameter(fn + ": segment " + std::to_string(i) + " is not aligned to the page size " +
                               std::to_string(page));
      list.push_back(Segment{b, std::min(page, bytes - i * page)});
    }
    f->validate(list.data(), list.size(), offset, write ? Access::write : Access::read);
    r = win32::start_overlapped(f, kind, list.data(), list.size(), ov, std::move(event), write);
  }
  // A gather that finished inside the call reports TRUE; a scatter always reports pending (what
  // Windows does, and Wine's conformance test demands); the result is in OVERLAPPED either way.
  if (write && r.completed && r.status == win32::nt::success) return BOOL{TRUE};
  set_last_error(ERROR_IO_PENDING);
  return BOOL{FALSE};
}

// WriteFile / ReadFile.
BOOL plain_io(OpKind kind, HANDLE hFile, void* buffer, DWORD bytes, LPDWORD done, LPOVERLAPPED lpOverlapped) {
  const char* fn = kind == OpKind::write_gather ? "WriteFile" : "ReadFile";
  const bool write = kind == OpKind::write_gather;
  std::shared_ptr<win32::Win32File> f = win32_file(hFile);
  if (done) *done = 0;
  check_access(*f, kind, fn);
  if (bytes != 0 && !buffer) fail_invalid_parameter(std::string(fn) + ": the buffer is NULL");
  Segment seg{reinterpret_cast<uintptr_t>(buffer), bytes};

  if (f->overlapped()) {
    if (!lpOverlapped) fail_invalid_parameter(std::string(fn) + ": an overlapped handle needs lpOverlapped");
    win32::Overlapped* ov = to_engine(lpOverlapped);
    std::shared_ptr<win32::Event> event = overlapped_event(lpOverlapped->hEvent);
    win32::StartResult r;
    if (bytes != 0) f->validate(&seg, 1, ov->file_offset(), write ? Access::write : Access::read);
    DWORD n = write ? bytes : static_cast<DWORD>(f->direct_read_limit(ov->file_offset(), bytes));
    if (n == 0) {
      r = win32::complete_now(f, ov, std::move(event), true,
                              bytes != 0 ? win32::nt::end_of_file : win32::nt::success);
    } else {
      seg.length = n;
      r = win32::start_overlapped(f, kind, &seg, 1, ov, std::move(event), true);
    }
    if (r.completed && r.status == win32::nt::success) {
      if (done) *done = static_cast<DWORD>(r.bytes);
      return BOOL{TRUE};
    }
    set_last_error(ERROR_IO_PENDING);
    return BOOL{FALSE};
  }

  // A synchronous handle: the transfer happens now, at the file pointer unless lpOverlapped
  // gives an offset; the pointer ends after the bytes moved.
  if (!lpOverlapped && !done)
    fail_invalid_parameter(std::string(fn) + ": lpNumberOf" + (write ? "BytesWritten" : "BytesRead") +
                           " may be NULL only with lpOverlapped");
  std::lock_guard lock(f->sync_io_mutex());
  win32::Overlapped* ov = lpOverlapped ? to_engine(lpOverlapped) : nullptr;
  std::shared_ptr<win32::Event> event = ov ? overlapped_event(lpOverlapped->hEvent) : nullptr;
  const uint64_t offset = ov ? ov->file_offset() : f->pointer();
  Transfer t;
  if (bytes != 0) {
    const Access access = write ? Access::write : Access::read;
    f->validate(&seg, 1, offset, access);
    if (ov) win32::store_result(ov, win32::nt::pending, 0);
    if (event) event->reset();
    t = f->transfer(access, &seg, 1, offset);  // the same transfer as sgio_file_read_scatter/write_gather
  }
  f->set_pointer(offset + t.bytes);
  if (done) *done = static_cast<DWORD>(t.bytes);
  uint32_t status = win32::ntstatus_from_errno(t.error);
  // At end of file a synchronous ReadFile succeeds with 0 bytes, unless it was given an
  // OVERLAPPED: then it fails with ERROR_HANDLE_EOF (documented ReadFile behaviour).
  if (ov && !write && bytes != 0 && t.error == 0 && t.bytes == 0) status = win32::nt::end_of_file;
  if (ov) {
    win32::store_result(ov, status, static_cast<uintptr_t>(t.bytes));
    if (event) event->set();
  }
  if (status != win32::nt::success) return fail_with(win32::win32_from_ntstatus(status));
  return BOOL{TRUE};
}

BOOL overlapped_result(HANDLE hFile, LPOVERLAPPED lpOverlapped, LPDWORD transferred, DWORD ms) {
  std::shared_ptr<win32::Win32File> f = win32_file(hFile);
  if (!lpOverlapped) fail_invalid_parameter("GetOverlappedResult: lpOverlapped is NULL");
  if (!transferred) fail_invalid_parameter("GetOverlappedResult: lpNumberOfBytesTransferred is NULL");
  win32::Overlapped* ov = to_engine(lpOverlapped);
  uint32_t status = win32::load_status(ov);
  if (status == win32::nt::pending) {
    if (ms == 0) {
      *transferred = static_cast<DWORD>(win32::load_bytes(ov));
      return fail_with(ERROR_IO_INCOMPLETE);
    }
    bool in_time = true;
    switch (f->wait_for(ov, win32::Deadline(ms))) {
      case win32::Win32File::Awaited::finished: break;
      case win32::Win32File::Awaited::timed_out: in_time = false; break;
      case win32::Win32File::Awaited::not_ours:
        // Not one of this handle's requests (or it just ended): wait on the event as Windows does.
        if (win32::load_status(ov) == win32::nt::pending)
          if (std::shared_ptr<win32::Event> event = overlapped_event(lpOverlapped->hEvent)) in_time = event->wait(ms);
        break;
    }
    if (!in_time) {
      *transferred = static_cast<DWORD>(win32::load_bytes(ov));
      return fail_with(WAIT_TIMEOUT);
    }
    status = win32::load_status(ov);
    if (status == win32::nt::pending) {  // nothing in flight will ever complete it
      *transferred = static_cast<DWORD>(win32::load_bytes(ov));
      return fail_with(ERROR_IO_INCOMPLETE);
    }
  }
  if (Backend* b = win32::current_io_backend()) b->note_result_taken(reinterpret_cast<uintptr_t>(ov));
  // Written even when the request failed (the prefix that moved).
  *transferred = static_cast<DWORD>(win32::load_bytes(ov));
  if (status != win32::nt::success) return fail_with(win32::win32_from_ntstatus(status));
  return BOOL{TRUE};
}

}  // namespace

extern "C" {

SGIO_API BOOL SGIO_CALL WriteFileGather(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[], DWORD nNumberOfBytesToWrite,
                                        LPDWORD lpReserved, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return scatter_gather(OpKind::write_gather, hFile, aSegmentArray, nNumberOfBytesToWrite, lpReserved, lpOverlapped);
  });
}

SGIO_API BOOL SGIO_CALL ReadFileScatter(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[], DWORD nNumberOfBytesToRead,
                                        LPDWORD lpReserved, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return scatter_gather(OpKind::read_scatter, hFile, aSegmentArray, nNumberOfBytesToRead, lpReserved, lpOverlapped);
  });
}

SGIO_API BOOL SGIO_CALL WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                  LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return plain_io(OpKind::write_gather, hFile, const_cast<void*>(lpBuffer), nNumberOfBytesToWrite,
                    lpNumberOfBytesWritten, lpOverlapped);
  });
}

SGIO_API BOOL SGIO_CALL ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
                                 LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return plain_io(OpKind::read_scatter, hFile, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead, lpOverlapped);
  });
}

SGIO_API BOOL SGIO_CALL GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped, LPDWORD lpNumberOfBytesTransferred,
                                            BOOL bWait) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    return overlapped_result(hFile, lpOverlapped, lpNumberOfBytesTransferred, bWait ? INFINITE : 0);
  });
}

SGIO_API BOOL SGIO_CALL GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                              LPDWORD lpNumberOfBytesTransferred, DWORD dwMilliseconds,
                                              BOOL) noexcept {
  return w32_guard(BOOL{FALSE},
                   [&] { return overlapped_result(hFile, lpOverlapped, lpNumberOfBytesTransferred, dwMilliseconds); });
}

SGIO_API BOOL SGIO_CALL CancelIo(HANDLE hFile) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    win32_file(hFile)->cancel(nullptr);  // all of the handle's requests, whichever thread started them
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    if (win32_file(hFile)->cancel(lpOverlapped ? to_engine(lpOverlapped) : nullptr) == 0)
      return fail_with(ERROR_NOT_FOUND);
    return BOOL{TRUE};
  });
}

}  // extern "C"
