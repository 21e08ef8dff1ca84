// SPDX-License-Identifier: Apache-2.0
// VirtualAlloc / VirtualFree / GetSystemInfo.
#include "support.hpp"

using namespace w32_test;

TEST_SUITE("memory") {

TEST_CASE("GetSystemInfo describes an x64 Windows machine") {
  SYSTEM_INFO si;
  std::memset(&si, 0xCC, sizeof si);
  GetSystemInfo(&si);
  CHECK(si.dwPageSize == static_cast<DWORD>(sysconf(_SC_PAGESIZE)));
  CHECK(si.dwAllocationGranularity == 65536);
  CHECK(si.dwNumberOfProcessors >= 1);
  CHECK(si.dwActiveProcessorMask != 0);
#if defined(__x86_64__)
  CHECK(si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64);
#endif
  CHECK(si.lpMinimumApplicationAddress < si.lpMaximumApplicationAddress);
  GetSystemInfo(nullptr);  // no crash
}

TEST_CASE("VirtualAlloc: zeroed, 64 KiB-aligned, 2 MiB-aligned when large") {
  for (SIZE_T size : {SIZE_T{1}, SIZE_T{4096}, SIZE_T{65536 + 1}, SIZE_T{2} << 20, SIZE_T{5} << 20}) {
    CAPTURE(size);
    auto* p = static_cast<uint8_t*>(VirtualAlloc(nullptr, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
    REQUIRE(p != nullptr);
    CHECK(reinterpret_cast<uintptr_t>(p) % 65536 == 0);
    if (size >= (SIZE_T{2} << 20)) CHECK(reinterpret_cast<uintptr_t>(p) % (SIZE_T{2} << 20) == 0);
    size_t nonzero = 0;
    for (SIZE_T i = 0; i < size; i += 512) nonzero += p[i] != 0;
    CHECK(nonzero == 0);
    p[size - 1] = 1;  // the whole size is usable
    CHECK(VirtualFree(p, 0, MEM_RELEASE) == TRUE);
  }
}

TEST_CASE("reserve, commit part, decommit, commit again reads zero") {
  const DWORD page = page_size();
  auto* base = static_cast<uint8_t*>(VirtualAlloc(nullptr, 16 * page, MEM_RESERVE, PAGE_NOACCESS));
  REQUIRE(base != nullptr);
  auto* p = static_cast<uint8_t*>(VirtualAlloc(base + 2 * page + 10, page, MEM_COMMIT, PAGE_READWRITE));
  CHECK(p == base + 2 * page);  // rounded down to the page; the range spans two pages
  std::memset(p, 7, 2 * page);
  CHECK(VirtualAlloc(base + 3 * page, page, MEM_COMMIT, PAGE_READWRITE) == base + 3 * page);
  CHECK(p[page] == 7);  // committing committed pages keeps their contents
  CHECK(VirtualFree(p, 2 * page, MEM_DECOMMIT) == TRUE);
  CHECK(VirtualAlloc(p, 2 * page, MEM_COMMIT, PAGE_READWRITE) == p);
  CHECK(p[0] == 0);
  CHECK(p[2 * page - 1] == 0);
  CHECK(VirtualAlloc(base + 20 * page, page, MEM_COMMIT, PAGE_READWRITE) == nullptr);  // outside the region
  CHECK_LAST_ERROR(ERROR_INVALID_ADDRESS);
  CHECK(VirtualFree(base, 0, MEM_RELEASE) == TRUE);
}

TEST_CASE("VirtualAlloc / VirtualFree last errors") {
  const DWORD page = page_size();
  CHECK(VirtualAlloc(nullptr, 0, MEM_COMMIT, PAGE_READWRITE) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  CHECK(VirtualAlloc(nullptr, page, 0, PAGE_READWRITE) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  CHECK(VirtualAlloc(nullptr, page, MEM_COMMIT | MEM_DECOMMIT, PAGE_READWRITE) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  CHECK(VirtualAlloc(nullptr, page, MEM_COMMIT, 0x1234) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  auto* p = static_cast<uint8_t*>(VirtualAlloc(nullptr, 4 * page, MEM_COMMIT, PAGE_READWRITE));
  REQUIRE(p != nullptr);
  CHECK_BOOL_FAILS(VirtualFree(p, 4 * page, MEM_RELEASE), ERROR_INVALID_PARAMETER);  // size must be 0
  CHECK_BOOL_FAILS(VirtualFree(p + page, 0, MEM_RELEASE), ERROR_INVALID_ADDRESS);  // not the base
  CHECK_BOOL_FAILS(VirtualFree(p, 0, 0), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(VirtualFree(p, 0, MEM_RELEASE | MEM_DECOMMIT), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(VirtualFree(nullptr, 0, MEM_RELEASE), ERROR_INVALID_PARAMETER);
  CHECK(VirtualFree(p, 0, MEM_RELEASE) == TRUE);
  CHECK_BOOL_FAILS(VirtualFree(p, 0, MEM_RELEASE), ERROR_INVALID_ADDRESS);  // already released
  int local = 0;
  CHECK_BOOL_FAILS(VirtualFree(&local, 0, MEM_RELEASE), ERROR_INVALID_ADDRESS);  // never allocated
}

}  // TEST_SUITE
