// SPDX-License-Identifier: Apache-2.0
#include "win32/local_heap.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_set>

#include "win32/nt_status.hpp"

namespace sgio::win32 {

namespace {

struct Heap {
  std::mutex mu;
  std::unordered_set<void*> blocks;
};

Heap& heap() {
  static Heap* h = new Heap;  // never destroyed: LocalFree may run during exit
  return *h;
}

}  // namespace

void* local_alloc(size_t bytes) {
  void* p = std::calloc(bytes == 0 ? 1 : bytes, 1);
  if (!p) throw std::bad_alloc();
  Heap& h = heap();
  try {
    std::lock_guard lock(h.mu);
    h.blocks.insert(p);
  } catch (...) {
    std::free(p);
    throw;
  }
  return p;
}

void local_free(void* block) {
  if (!block) return;
  Heap& h = heap();
  {
    std::lock_guard lock(h.mu);
    if (h.blocks.erase(block) == 0)
      fail_win32(err::invalid_handle, "LocalFree: not a block allocated by sgio (FormatMessage), or freed already");
  }
  std::free(block);
}

}  // namespace sgio::win32
