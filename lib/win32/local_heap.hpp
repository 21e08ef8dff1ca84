// SPDX-License-Identifier: Apache-2.0
// The local heap of LocalAlloc/LocalFree, as far as sgio needs it: the buffers FormatMessage
// allocates for FORMAT_MESSAGE_ALLOCATE_BUFFER. Every block is registered, so LocalFree of a
// pointer sgio did not hand out (or one freed twice) is ERROR_INVALID_HANDLE, not heap corruption.
#pragma once

#include <cstddef>

namespace sgio::win32 {

// `bytes` zeroed bytes (at least 1); throws std::bad_alloc.
void* local_alloc(size_t bytes);
// Frees a block from local_alloc; nullptr is a no-op. Throws Failure(ERROR_INVALID_HANDLE) for
// anything else.
void local_free(void* block);

}  // namespace sgio::win32
