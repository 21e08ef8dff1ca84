// SPDX-License-Identifier: Apache-2.0
// LockFileEx / UnlockFileEx over the handle's ByteLocks (lib/win32/byte_locks.hpp).
#include "win32/overlapped_op.hpp"
#include "win32/w32_guard.hpp"

using namespace sgio;
using namespace sgio::capi::w32;

namespace {

uint64_t length_of(DWORD low, DWORD high) { return (uint64_t{high} << 32) | low; }

// An overlapped handle reports the result through OVERLAPPED, hEvent and its port as well, as
// for any request that completes inside the call.
void report_granted(const std::shared_ptr<win32::Win32File>& f, LPOVERLAPPED ov) {
  if (f->overlapped())
    win32::complete_now(f, to_engine(ov), overlapped_event(ov->hEvent), true, win32::nt::success);
}

}  // namespace

extern "C" {

SGIO_API BOOL SGIO_CALL LockFileEx(HANDLE hFile, DWORD dwFlags, DWORD dwReserved, DWORD nNumberOfBytesToLockLow,
                                   DWORD nNumberOfBytesToLockHigh, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<win32::Win32File> f = win32_file(hFile);
    if (!lpOverlapped) win32::fail_invalid_parameter("LockFileEx: lpOverlapped is NULL");
    if (dwReserved != 0) win32::fail_invalid_parameter("LockFileEx: dwReserved must be 0");
    if (dwFlags & ~DWORD{LOCKFILE_FAIL_IMMEDIATELY | LOCKFILE_EXCLUSIVE_LOCK})
      win32::fail_invalid_parameter("LockFileEx: unknown dwFlags bits");
    if (!f->readable() && !f->writable())
      win32::fail_win32(ERROR_ACCESS_DENIED, "LockFileEx: the handle has neither read nor write access");
    f->byte_locks().lock(f->fd(), to_engine(lpOverlapped)->file_offset(),
                         length_of(nNumberOfBytesToLockLow, nNumberOfBytesToLockHigh),
                         (dwFlags & LOCKFILE_EXCLUSIVE_LOCK) != 0, (dwFlags & LOCKFILE_FAIL_IMMEDIATELY) == 0);
    report_granted(f, lpOverlapped);
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL UnlockFileEx(HANDLE hFile, DWORD dwReserved, DWORD nNumberOfBytesToUnlockLow,
                                     DWORD nNumberOfBytesToUnlockHigh, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<win32::Win32File> f = win32_file(hFile);
    if (!lpOverlapped) win32::fail_invalid_parameter("UnlockFileEx: lpOverlapped is NULL");
    if (dwReserved != 0) win32::fail_invalid_parameter("UnlockFileEx: dwReserved must be 0");
    f->byte_locks().unlock(to_engine(lpOverlapped)->file_offset(),
                           length_of(nNumberOfBytesToUnlockLow, nNumberOfBytesToUnlockHigh));
    return BOOL{TRUE};
  });
}

}  // extern "C"
