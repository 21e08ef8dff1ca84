// SPDX-License-Identifier: Apache-2.0
// VirtualAlloc / VirtualFree over mmap. Regions are reserved at 64 KiB (the Windows allocation
// granularity) or, from 2 MiB up, at 2 MiB with transparent huge pages advised, so pages carved
// from one buffer stay physically contiguous and adjacent segments merge in the block layer.
// Reserved pages are PROT_NONE; committing makes them accessible (zero-filled the first time);
// decommitting drops their contents.
#pragma once

#include <cstdint>

namespace sgio::win32 {

constexpr uint32_t mem_commit = 0x1000;
constexpr uint32_t mem_reserve = 0x2000;
constexpr uint32_t mem_decommit = 0x4000;
constexpr uint32_t mem_release = 0x8000;
constexpr uint32_t mem_top_down = 0x100000;
constexpr uint32_t page_noaccess = 0x01;
constexpr uint32_t page_readonly = 0x02;
constexpr uint32_t page_readwrite = 0x04;

constexpr uint64_t allocation_granularity = 64 * 1024;

// Throws Failure: ERROR_INVALID_PARAMETER (size 0, unknown flags or protection),
// ERROR_INVALID_ADDRESS (an address not inside a region, or a reservation that collides),
// ERROR_NOT_ENOUGH_MEMORY.
void* virtual_alloc(void* address, uint64_t size, uint32_t type, uint32_t protect);
// MEM_RELEASE: size 0 and the region's base (ERROR_INVALID_PARAMETER for a size, ERROR_INVALID_ADDRESS
// for an address that is not a region's base). MEM_DECOMMIT: pages of one region.
void virtual_free(void* address, uint64_t size, uint32_t type);

}  // namespace sgio::win32
