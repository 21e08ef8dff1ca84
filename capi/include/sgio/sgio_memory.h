// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_memory.h - page size and aligned memory for direct (unbuffered) I/O.
 */
#ifndef SGIO_MEMORY_H
#define SGIO_MEMORY_H

#include "sgio/sgio_common.h"

SGIO_BEGIN_DECL

/**
 * @brief The system memory page size, the default alignment of sgio_aligned_alloc().
 * @return bytes per page (4096 on x86-64 Linux).
 * @since 1.0
 */
SGIO_API uint32_t SGIO_CALL sgio_page_size(void) SGIO_NOEXCEPT;

/**
 * @brief Allocate zero-filled memory aligned to @p alignment bytes.
 * @param[out] out        receives the block; set to NULL on failure. Must not be NULL.
 * @param      size       bytes, > 0.
 * @param      alignment  a power of two, or 0 for the page size. Blocks of 2 MiB and more are
 *                        2 MiB-aligned and advised for transparent huge pages, so pages carved
 *                        from them stay physically contiguous (adjacent segments merge in the block layer).
 *
 * Free the block with sgio_aligned_free() only, never with free().
 * @return 0, SGIO_EINVAL (size 0, alignment not a power of two, out NULL) or SGIO_ENOMEM.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_aligned_alloc(void** out, uint64_t size, uint64_t alignment) SGIO_NOEXCEPT;

/**
 * @brief Free a block from sgio_aligned_alloc().
 * @param block  a block from sgio_aligned_alloc(), or NULL (no-op).
 * @since 1.0
 */
SGIO_API void SGIO_CALL sgio_aligned_free(void* block) SGIO_NOEXCEPT;

SGIO_END_DECL

#endif /* SGIO_MEMORY_H */
