// SPDX-License-Identifier: Apache-2.0
// sgio::readable / copy_from_caller (declared in core/file_rules.hpp) on Windows: VirtualQuery
// walks the regions [src, src + bytes) spans and accepts committed, readable, non-guard pages.
// No structured exception handling: mingw's GCC has none for C++, and a library must not install
// a vectored handler for its caller.
#include <windows.h>

#include <cstring>

#include "core/file_rules.hpp"

namespace sgio {

namespace {

bool readable_protection(DWORD protect) noexcept {
  if (protect & (PAGE_GUARD | PAGE_NOACCESS)) return false;
  const DWORD base = protect & 0xff;
  return base == PAGE_READONLY || base == PAGE_READWRITE || base == PAGE_WRITECOPY || base == PAGE_EXECUTE_READ ||
         base == PAGE_EXECUTE_READWRITE || base == PAGE_EXECUTE_WRITECOPY;
}

}  // namespace

bool readable(const void* src, size_t bytes) noexcept {
  if (bytes == 0) return true;
  if (!src) return false;
  auto p = reinterpret_cast<uintptr_t>(src);
  if (bytes - 1 > UINTPTR_MAX - p) return false;
  const uintptr_t end = p + bytes;
  while (p < end) {
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(reinterpret_cast<const void*>(p), &mbi, sizeof mbi) == 0) return false;
    if (mbi.State != MEM_COMMIT || !readable_protection(mbi.Protect)) return false;
    p = reinterpret_cast<uintptr_t>(mbi.BaseAddress) + mbi.RegionSize;
  }
  return true;
}

bool copy_from_caller(void* dst, const void* src, size_t bytes) noexcept {
  if (!readable(src, bytes)) return false;
  if (bytes) std::memcpy(dst, src, bytes);
  return true;
}

}  // namespace sgio
