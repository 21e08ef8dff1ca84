// SPDX-License-Identifier: Apache-2.0
// Page size and aligned, zero-filled memory for direct I/O.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sgio {

uint32_t page_size() noexcept;

// Blocks of at least this size are mapped 2 MiB-aligned and advised for transparent huge pages:
// pages carved from them stay physically contiguous, so adjacent segments merge in the block layer.
constexpr uint64_t huge_page_size = 2u << 20;

// Zero-filled block aligned to `alignment` (a power of two; 0 = page size). Throws
// Error(invalid_argument | no_memory).
void* alloc_aligned(uint64_t size, uint64_t alignment);

// Frees a block from alloc_aligned; nullptr is a no-op. Returns false for a pointer that
// aligned_alloc did not return (nothing is freed then).
bool free_aligned(void* block) noexcept;

#ifndef _WIN32
// Anonymous private mapping of `size` bytes (a page multiple) at an `alignment` multiple
// (a power of two >= page size), with the given PROT_* flags. Throws Error(no_memory).
void* map_aligned(uint64_t size, uint64_t alignment, int prot);
#endif

}  // namespace sgio
