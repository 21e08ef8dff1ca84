// SPDX-License-Identifier: Apache-2.0
#include "win32/virtual_memory.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <map>
#include <mutex>

#include "core/memory.hpp"
#include "win32/nt_status.hpp"

namespace sgio::win32 {

namespace {

struct Regions {
  std::mutex mu;
  std::map<uintptr_t, uint64_t> by_base;  // base -> size of every region VirtualAlloc reserved
};
Regions& regions() {
  static auto* r = new Regions;  // never destroyed: memory may be freed from static destructors
  return *r;
}

uint64_t page() noexcept { return page_size(); }
uintptr_t round_down(uintptr_t v, uint64_t a) noexcept { return v & ~static_cast<uintptr_t>(a - 1); }
uint64_t round_up(uint64_t v, uint64_t a) noexcept { return (v + a - 1) & ~(a - 1); }

int prot_of(uint32_t protect) {
  switch (protect) {
    case page_noaccess: return PROT_NONE;
    case page_readonly: return PROT_READ;
    case page_readwrite: return PROT_READ | PROT_WRITE;
    default: fail_invalid_parameter("VirtualAlloc: unsupported protection " + std::to_string(protect));
  }
}

// The region holding [start, start+len), or end() if none holds all of it. Caller holds the lock.
std::map<uintptr_t, uint64_t>::iterator region_of(Regions& r, uintptr_t start, uint64_t len) {
  auto it = r.by_base.upper_bound(start);
  if (it == r.by_base.begin()) return r.by_base.end();
  --it;
  if (start < it->first || start + len > it->first + it->second) return r.by_base.end();
  return it;
}

[[noreturn]] void fail_mm(int e, const char* what) {
  if (e == ENOMEM) throw Failure(err::not_enough_memory, Errc::no_memory, std::string(what) + ": out of memory", e);
  throw_errno(e, what);
}

}  // namespace

void* virtual_alloc(void* address, uint64_t size, uint32_t type, uint32_t protect) {
  if (size == 0) fail_invalid_parameter("VirtualAlloc: dwSize is 0");
  if ((type & ~(mem_commit | mem_reserve | mem_top_down)) != 0 || (type & (mem_commit | mem_reserve)) == 0)
    fail_invalid_parameter("VirtualAlloc: flAllocationType must be MEM_COMMIT and/or MEM_RESERVE");
  const int prot = prot_of(protect);
  if (size > (uint64_t{1} << 46)) throw Failure(err::not_enough_memory, Errc::no_memory, "VirtualAlloc: too large");
  Regions& r = regions();
  const auto addr = reinterpret_cast<uintptr_t>(address);

  if (addr != 0 && !(type & mem_reserve)) {
    // Commit pages of an existing reservation: the range rounds out to whole pages.
    uintptr_t start = round_down(addr, page());
    uint64_t len = round_up(addr + size, page()) - start;
    std::lock_guard lock(r.mu);
    if (region_of(r, start, len) == r.by_base.end())
      fail_win32(err::invalid_address, "VirtualAlloc: the address is not inside a reserved region");
    // Pages committed before keep their contents; reserved ones were never touched and read as zero.
    if (mprotect(reinterpret_cast<void*>(start), len, prot) != 0) fail_mm(errno, "VirtualAlloc: mprotect");
    return reinterpret_cast<void*>(start);
  }

  const uint64_t len = round_up(size, page());
  const int map_prot = (type & mem_commit) ? prot : PROT_NONE;
  void* base;
  if (addr == 0) {
    const uint64_t align = len >= huge_page_size ? huge_page_size : allocation_granularity;
    base = map_aligned(len, align, map_prot);
#ifdef MADV_HUGEPAGE
    if (len >= huge_page_size) madvise(base, len, MADV_HUGEPAGE);  // advice only
#endif
  } else {
    // A reservation at a chosen address rounds down to the allocation granularity and must not
    // overlap anything mapped.
    uintptr_t start = round_down(addr, allocation_granularity);
    uint64_t want = round_up(addr + size, page()) - start;
    void* got = mmap(reinterpret_cast<void*>(start), want, map_prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                     -1, 0);
    if (got == MAP_FAILED) {
      int e = errno;
      if (e == EEXIST) fail_win32(err::invalid_address, "VirtualAlloc: the address range is in use");
      fail_mm(e, "VirtualAlloc: mmap");
    }
    if (reinterpret_cast<uintptr_t>(got) != start) {  // kernels without MAP_FIXED_NOREPLACE
      munmap(got, want);
      fail_win32(err::invalid_address, "VirtualAlloc: the address range is in use");
    }
    base = got;
    try {
      std::lock_guard lock(r.mu);
      r.by_base.emplace(start, want);
    } catch (...) {
      munmap(base, want);
      throw;
    }
    return base;
  }
  try {
    std::lock_guard lock(r.mu);
    r.by_base.emplace(reinterpret_cast<uintptr_t>(base), len);
  } catch (...) {
    munmap(base, len);
    throw;
  }
  return base;
}

void virtual_free(void* address, uint64_t size, uint32_t type) {
  if (type != mem_release && type != mem_decommit)
    fail_invalid_parameter("VirtualFree: dwFreeType must be MEM_RELEASE or MEM_DECOMMIT");
  const auto addr = reinterpret_cast<uintptr_t>(address);
  if (addr == 0) fail_invalid_parameter("VirtualFree: lpAddress is NULL");
  Regions& r = regions();
  std::lock_guard lock(r.mu);
  if (type == mem_release) {
    if (size != 0) fail_invalid_parameter("VirtualFree: MEM_RELEASE needs dwSize 0");
    auto it = r.by_base.find(addr);
    if (it == r.by_base.end())
      fail_win32(err::invalid_address, "VirtualFree: the address is not the base of a VirtualAlloc region");
    munmap(address, it->second);
    r.by_base.erase(it);
    return;
  }
  uintptr_t start = round_down(addr, page());
  uint64_t len;
  if (size == 0) {
    auto it = r.by_base.find(addr);
    if (it == r.by_base.end())
      fail_win32(err::invalid_address, "VirtualFree: MEM_DECOMMIT with dwSize 0 needs a region's base");
    len = it->second;
  } else {
    len = round_up(addr + size, page()) - start;
    if (region_of(r, start, len) == r.by_base.end())
      fail_win32(err::invalid_address, "VirtualFree: the range is not inside one VirtualAlloc region");
  }
  // Drop the contents (they read as zero when committed again) and make the pages inaccessible.
  madvise(reinterpret_cast<void*>(start), len, MADV_DONTNEED);
  if (mprotect(reinterpret_cast<void*>(start), len, PROT_NONE) != 0) fail_mm(errno, "VirtualFree: mprotect");
}

}  // namespace sgio::win32
