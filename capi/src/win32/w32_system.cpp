// SPDX-License-Identifier: Apache-2.0
// GetLastError/SetLastError, VirtualAlloc/VirtualFree, GetSystemInfo.
#include <unistd.h>

#include <cstring>

#include "core/memory.hpp"
#include "win32/virtual_memory.hpp"
#include "win32/w32_guard.hpp"

using namespace sgio;
using namespace sgio::capi::w32;

extern "C" {

SGIO_API DWORD SGIO_CALL GetLastError(void) noexcept { return last_error(); }

SGIO_API void SGIO_CALL SetLastError(DWORD dwErrCode) noexcept { set_last_error(dwErrCode); }

SGIO_API LPVOID SGIO_CALL VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                       DWORD flProtect) noexcept {
  return w32_guard(LPVOID{nullptr}, [&] { return win32::virtual_alloc(lpAddress, dwSize, flAllocationType, flProtect); });
}

SGIO_API BOOL SGIO_CALL VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    win32::virtual_free(lpAddress, dwSize, dwFreeType);
    return BOOL{TRUE};
  });
}

SGIO_API void SGIO_CALL GetSystemInfo(LPSYSTEM_INFO lpSystemInfo) noexcept {
  if (!lpSystemInfo) return;
  std::memset(lpSystemInfo, 0, sizeof *lpSystemInfo);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 1) cpus = 1;
#if defined(__aarch64__)
  lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
  lpSystemInfo->dwProcessorType = 0;
#else
  lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
  lpSystemInfo->dwProcessorType = 8664;  // PROCESSOR_AMD_X8664
#endif
  lpSystemInfo->dwPageSize = page_size();
  // The user address range Windows x64 reports.
  lpSystemInfo->lpMinimumApplicationAddress = reinterpret_cast<LPVOID>(uintptr_t{0x10000});
  lpSystemInfo->lpMaximumApplicationAddress = reinterpret_cast<LPVOID>(uintptr_t{0x7FFFFFFEFFFF});
  lpSystemInfo->dwActiveProcessorMask = cpus >= 64 ? ~DWORD_PTR{0} : ((DWORD_PTR{1} << cpus) - 1);
  lpSystemInfo->dwNumberOfProcessors = static_cast<DWORD>(cpus);
  lpSystemInfo->dwAllocationGranularity = static_cast<DWORD>(win32::allocation_granularity);
  lpSystemInfo->wProcessorLevel = 6;
}

}  // extern "C"
