// SPDX-License-Identifier: Apache-2.0
#include "windows/win_error.hpp"

#include <windows.h>

namespace sgio {

namespace {
// winerror.h values mingw-w64's headers lack.
constexpr DWORD kDiskQuotaExceeded = 1295;        // ERROR_DISK_QUOTA_EXCEEDED
constexpr DWORD kOffsetAlignmentViolation = 327;  // ERROR_OFFSET_ALIGNMENT_VIOLATION
}  // namespace

Errc errc_from_win32(uint32_t err) noexcept {
  switch (err) {
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
    case ERROR_NEGATIVE_SEEK: return Errc::invalid_argument;
    case ERROR_INVALID_HANDLE: return Errc::bad_handle;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_NETPATH: return Errc::not_found;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS: return Errc::exists;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_WRITE_PROTECT: return Errc::access_denied;
    case ERROR_DIRECTORY: return Errc::is_directory;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case kDiskQuotaExceeded: return Errc::no_space;
    case ERROR_CRC:
    case ERROR_SECTOR_NOT_FOUND:
    case ERROR_READ_FAULT:
    case ERROR_WRITE_FAULT:
    case ERROR_GEN_FAILURE:
    case ERROR_IO_DEVICE: return Errc::io;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
    case ERROR_NO_SYSTEM_RESOURCES:
    case ERROR_WORKING_SET_QUOTA: return Errc::no_memory;
    case ERROR_FILE_TOO_LARGE:
    case ERROR_ARITHMETIC_OVERFLOW: return Errc::overflow;
    case ERROR_NOT_SUPPORTED:
    case ERROR_CALL_NOT_IMPLEMENTED:
    case ERROR_INVALID_FUNCTION: return Errc::not_supported;
    case ERROR_OPERATION_ABORTED: return Errc::canceled;
    case WAIT_TIMEOUT:
    case ERROR_TIMEOUT:
    case ERROR_SEM_TIMEOUT: return Errc::timed_out;
    case ERROR_BUSY: return Errc::busy;
    case ERROR_NOACCESS: return Errc::fault;
    case ERROR_TOO_MANY_OPEN_FILES: return Errc::too_many_handles;
    case kOffsetAlignmentViolation: return Errc::alignment;
    default: return Errc::system;
  }
}

void throw_win32(uint32_t err, const std::string& what) {
  char text[256];
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, err, 0, text,
                           sizeof text, nullptr);
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ' || text[n - 1] == '.')) --n;
  std::string message = what + ": " + (n > 0 ? std::string(text, n) : std::string("system error")) +
                        " (Win32 error " + std::to_string(err) + ")";
  throw Error(errc_from_win32(err), std::move(message), static_cast<int>(err));
}

}  // namespace sgio
