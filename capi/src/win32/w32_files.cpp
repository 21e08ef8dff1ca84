// SPDX-License-Identifier: Apache-2.0
// CreateFileW/A/CreateFile, CloseHandle, DeleteFileW and the per-file calls that need no I/O machinery.
#include <limits>

#include "win32/w32_guard.hpp"
#include "win32/w32_text.hpp"

using namespace sgio;
using namespace sgio::capi::w32;

namespace {

constexpr DWORD kGenericAll = 0x10000000u;
constexpr DWORD kGenericExecute = 0x20000000u;
constexpr DWORD kFileReadData = 0x0001u;
constexpr DWORD kFileWriteData = 0x0002u;
constexpr DWORD kFileAppendData = 0x0004u;
constexpr DWORD kDelete = 0x00010000u;

HANDLE create_file(const std::string& path, DWORD access, DWORD share, DWORD disposition, DWORD flags) {
  win32::CreateOptions o;
  o.read = (access & (GENERIC_READ | kGenericAll | kGenericExecute | kFileReadData)) != 0;
  o.write = (access & (GENERIC_WRITE | kGenericAll | kFileWriteData | kFileAppendData)) != 0;
  o.delete_access = (access & (kDelete | kGenericAll)) != 0;
  if (share & ~(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE))
    win32::fail_invalid_parameter("CreateFile: unknown dwShareMode bits " + std::to_string(share));
  o.share = share;
  if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING)
    win32::fail_invalid_parameter("CreateFile: unknown dwCreationDisposition " + std::to_string(disposition));
  o.disposition = static_cast<win32::Disposition>(disposition);
  o.overlapped = flags & FILE_FLAG_OVERLAPPED;
  o.no_buffering = flags & FILE_FLAG_NO_BUFFERING;
  o.write_through = flags & FILE_FLAG_WRITE_THROUGH;
  o.delete_on_close = flags & FILE_FLAG_DELETE_ON_CLOSE;
  o.readonly_attribute = flags & FILE_ATTRIBUTE_READONLY;
  bool existed = false;
  uint64_t h = handles().insert(win32::Win32File::create(path, o, existed));
  // Windows sets the last error on success too: ERROR_ALREADY_EXISTS when CREATE_ALWAYS or
  // OPEN_ALWAYS found the file, else 0.
  set_last_error(existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
  return to_handle(h);
}

// SetFilePointerEx's rule, shared by SetFilePointer: the new position from dwMoveMethod and the
// distance; ERROR_NEGATIVE_SEEK before the start. `fits` decides (under the same lock) whether
// the position may be taken; the pointer moves only if it returns true.
template <class Fits>
int64_t move_pointer(HANDLE hFile, int64_t dist, DWORD method, const char* fn, Fits fits) {
  std::shared_ptr<win32::Win32File> f = win32_file(hFile);
  std::lock_guard lock(f->sync_io_mutex());
  int64_t base;
  switch (method) {
    case FILE_BEGIN: base = 0; break;
    case FILE_CURRENT: base = static_cast<int64_t>(f->pointer()); break;
    case FILE_END: base = static_cast<int64_t>(f->size()); break;
    default: win32::fail_invalid_parameter(std::string(fn) + ": unknown dwMoveMethod " + std::to_string(method));
  }
  if ((dist > 0 && base > std::numeric_limits<int64_t>::max() - dist))
    win32::fail_invalid_parameter(std::string(fn) + ": the new position overflows");
  const int64_t pos = base + dist;
  if (pos < 0) win32::fail_win32(ERROR_NEGATIVE_SEEK, std::string(fn) + ": the new position is negative");
  if (!fits(pos)) win32::fail_invalid_parameter(std::string(fn) + ": the new position does not fit in 32 bits");
  f->set_pointer(static_cast<uint64_t>(pos));
  return pos;
}

// Windows' answer for a DWORD result that equals its own failure value: NO_ERROR says "success".
DWORD low_dword_result(uint64_t value) {
  const DWORD low = static_cast<DWORD>(value);
  if (low == 0xFFFFFFFFu) set_last_error(NO_ERROR);
  return low;
}

}  // namespace

extern "C" {

SGIO_API HANDLE SGIO_CALL CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                      LPSECURITY_ATTRIBUTES, DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                      HANDLE) noexcept {
  return w32_guard(INVALID_HANDLE_VALUE, [&] {
    return create_file(utf8_from_utf16(lpFileName), dwDesiredAccess, dwShareMode, dwCreationDisposition,
                       dwFlagsAndAttributes);
  });
}

SGIO_API HANDLE SGIO_CALL CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                      LPSECURITY_ATTRIBUTES, DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                      HANDLE) noexcept {
  return w32_guard(INVALID_HANDLE_VALUE, [&] {
    return create_file(lpFileName ? lpFileName : "", dwDesiredAccess, dwShareMode, dwCreationDisposition,
                       dwFlagsAndAttributes);
  });
}

SGIO_API HANDLE SGIO_CALL CreateFile(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                     DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) noexcept {
  return CreateFileA(lpFileName, dwDesiredAccess, dwShareMode, lpSecurityAttributes, dwCreationDisposition,
                     dwFlagsAndAttributes, hTemplateFile);
}

SGIO_API BOOL SGIO_CALL CloseHandle(HANDLE hObject) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<Object> object = handles().remove(hv(hObject));
    object->on_close();
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL DeleteFileW(LPCWSTR lpFileName) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    win32::delete_file(utf8_from_utf16(lpFileName));
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<File> f = any_file(hFile);
    if (!lpFileSize) win32::fail_invalid_parameter("GetFileSizeEx: lpFileSize is NULL");
    lpFileSize->QuadPart = static_cast<LONGLONG>(f->size());
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove, PLARGE_INTEGER lpNewFilePointer,
                                         DWORD dwMoveMethod) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    const int64_t pos =
        move_pointer(hFile, liDistanceToMove.QuadPart, dwMoveMethod, "SetFilePointerEx", [](int64_t) { return true; });
    if (lpNewFilePointer) lpNewFilePointer->QuadPart = pos;
    return BOOL{TRUE};
  });
}

SGIO_API DWORD SGIO_CALL SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh,
                                        DWORD dwMoveMethod) noexcept {
  return w32_guard(DWORD{INVALID_SET_FILE_POINTER}, [&] {
    // Alone, lDistanceToMove is a signed 32-bit distance; with a high part the two make one
    // signed 64-bit distance (low DWORD unsigned).
    const int64_t dist = lpDistanceToMoveHigh
                             ? static_cast<int64_t>((static_cast<uint64_t>(static_cast<uint32_t>(*lpDistanceToMoveHigh)) << 32) |
                                                    static_cast<uint32_t>(lDistanceToMove))
                             : static_cast<int64_t>(lDistanceToMove);
    const bool wide = lpDistanceToMoveHigh != nullptr;
    const int64_t pos = move_pointer(hFile, dist, dwMoveMethod, "SetFilePointer",
                                     [wide](int64_t p) { return wide || p <= int64_t{0xFFFFFFFF}; });
    if (lpDistanceToMoveHigh) *lpDistanceToMoveHigh = static_cast<LONG>(static_cast<uint64_t>(pos) >> 32);
    return low_dword_result(static_cast<uint64_t>(pos));
  });
}

SGIO_API DWORD SGIO_CALL GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh) noexcept {
  return w32_guard(DWORD{INVALID_FILE_SIZE}, [&] {
    const uint64_t size = any_file(hFile)->size();
    if (lpFileSizeHigh) *lpFileSizeHigh = static_cast<DWORD>(size >> 32);
    return low_dword_result(size);
  });
}

SGIO_API BOOL SGIO_CALL SetEndOfFile(HANDLE hFile) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<win32::Win32File> f = win32_file(hFile);
    std::lock_guard lock(f->sync_io_mutex());
    if (!f->writable()) win32::fail_win32(ERROR_ACCESS_DENIED, "SetEndOfFile: the handle has no GENERIC_WRITE access");
    f->truncate(f->pointer());
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL FlushFileBuffers(HANDLE hFile) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<File> f = any_file(hFile);
    if (!f->writable()) win32::fail_win32(ERROR_ACCESS_DENIED, "FlushFileBuffers: the handle has no GENERIC_WRITE access");
    f->flush();
    return BOOL{TRUE};
  });
}

}  // extern "C"
