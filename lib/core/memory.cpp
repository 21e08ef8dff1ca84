// SPDX-License-Identifier: Apache-2.0
#include "core/memory.hpp"

#ifdef _WIN32
#include <windows.h>

#include <malloc.h>
#else
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/error.hpp"

namespace sgio {

namespace {

struct Block {
  uint64_t size;
  bool mapped;
};

// Every live block, so that free can tell mmap'ed from malloc'ed memory and reject strangers.
std::mutex& blocks_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
std::unordered_map<void*, Block>& blocks() {
  static auto* b = new std::unordered_map<void*, Block>;
  return *b;
}

bool is_power_of_two(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

// The two kinds of block, per system: a private mapping (page-granular, zero-filled, for large
// blocks) and the C library's aligned heap (zero-filled here) for the rest.
#ifdef _WIN32
// VirtualAlloc places a mapping on the 64 KiB allocation granularity; a larger alignment comes
// from reserving enough room, releasing it and taking the aligned part (another thread may take
// that range in between, hence the retries).
void* map_block(uint64_t size, uint64_t alignment) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    void* room = VirtualAlloc(nullptr, static_cast<SIZE_T>(size + alignment), MEM_RESERVE, PAGE_NOACCESS);
    if (!room) break;
    uintptr_t start = (reinterpret_cast<uintptr_t>(room) + alignment - 1) & ~(static_cast<uintptr_t>(alignment) - 1);
    VirtualFree(room, 0, MEM_RELEASE);
    void* p = VirtualAlloc(reinterpret_cast<void*>(start), static_cast<SIZE_T>(size), MEM_RESERVE | MEM_COMMIT,
                           PAGE_READWRITE);  // zero-filled
    if (p) return p;
  }
  fail(Errc::no_memory, "VirtualAlloc of " + std::to_string(size) + " bytes aligned to " + std::to_string(alignment) +
                            " failed");
}
void unmap_block(void* block, uint64_t /*size*/) noexcept { VirtualFree(block, 0, MEM_RELEASE); }
void* heap_block(uint64_t size, uint64_t alignment) {
  void* p = _aligned_malloc(static_cast<size_t>(size), static_cast<size_t>(alignment));
  if (!p) fail(Errc::no_memory, "_aligned_malloc of " + std::to_string(size) + " bytes failed");
  return p;
}
void free_heap_block(void* block) noexcept { _aligned_free(block); }
#else
void* map_block(uint64_t size, uint64_t alignment) {
  void* block = map_aligned(size, alignment, PROT_READ | PROT_WRITE);  // mmap memory is zero-filled
#ifdef MADV_HUGEPAGE
  madvise(block, size, MADV_HUGEPAGE);  // advice only; failure changes nothing
#endif
  return block;
}
void unmap_block(void* block, uint64_t size) noexcept { munmap(block, size); }
void* heap_block(uint64_t size, uint64_t alignment) {
  void* block;
  int rc = posix_memalign(&block, static_cast<size_t>(alignment), static_cast<size_t>(size));
  if (rc != 0) throw_errno(rc, "posix_memalign of " + std::to_string(size) + " bytes");
  return block;
}
void free_heap_block(void* block) noexcept { std::free(block); }
#endif

}  // namespace

#ifdef _WIN32
uint32_t page_size() noexcept {
  static const uint32_t size = [] {
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return static_cast<uint32_t>(si.dwPageSize);
  }();
  return size;
}
#else
uint32_t page_size() noexcept {
  static const uint32_t size = static_cast<uint32_t>(sysconf(_SC_PAGESIZE));
  return size;
}

void* map_aligned(uint64_t size, uint64_t alignment, int prot) {
  // Over-map by the alignment, then trim both ends so the kept part starts on the boundary.
  const uint64_t span = size + alignment;
  void* raw = mmap(nullptr, span, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw_errno(errno, "mmap of " + std::to_string(size) + " bytes");
  auto base = reinterpret_cast<uintptr_t>(raw);
  uintptr_t start = (base + alignment - 1) & ~(static_cast<uintptr_t>(alignment) - 1);
  if (start > base) munmap(raw, start - base);
  uintptr_t end = start + size;
  if (base + span > end) munmap(reinterpret_cast<void*>(end), base + span - end);
  return reinterpret_cast<void*>(start);
}
#endif

void* alloc_aligned(uint64_t size, uint64_t alignment) {
  if (size == 0) fail(Errc::invalid_argument, "alloc_aligned: size is 0");
  if (alignment == 0) alignment = page_size();
  if (!is_power_of_two(alignment))
    fail(Errc::invalid_argument, "alloc_aligned: alignment " + std::to_string(alignment) + " is not a power of two");
  if (size > (uint64_t{1} << 47)) fail(Errc::no_memory, "alloc_aligned: " + std::to_string(size) + " bytes is too large");

  void* block;
  const uint64_t rounded = (size + page_size() - 1) & ~uint64_t{page_size() - 1};
  bool mapped = size >= huge_page_size || alignment > huge_page_size;
  if (mapped) {
    block = map_block(rounded, alignment < huge_page_size ? huge_page_size : alignment);
  } else {
    uint64_t align = alignment < sizeof(void*) ? sizeof(void*) : alignment;
    block = heap_block(size, align);
    std::memset(block, 0, size);
  }
  try {
    std::lock_guard lock(blocks_mutex());
    blocks().emplace(block, Block{size, mapped});
  } catch (...) {
    if (mapped) unmap_block(block, rounded); else free_heap_block(block);
    throw;
  }
  return block;
}

bool free_aligned(void* block) noexcept {
  if (!block) return true;
  Block info;
  {
    std::lock_guard lock(blocks_mutex());
    auto it = blocks().find(block);
    if (it == blocks().end()) return false;
    info = it->second;
    blocks().erase(it);
  }
  if (info.mapped) {
    uint64_t rounded = (info.size + page_size() - 1) & ~uint64_t{page_size() - 1};
    unmap_block(block, rounded);
  } else {
    free_heap_block(block);
  }
  return true;
}

}  // namespace sgio
