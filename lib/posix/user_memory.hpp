// SPDX-License-Identifier: Apache-2.0
// Reading the caller's arrays (segment arrays, request arrays, FILE_SEGMENT_ELEMENT arrays)
// without crashing on unreadable memory and without signal handlers (a library must not install
// them). Before sgio reads such an array, the kernel reads 8 bytes of every page it touches
// (rt_sigprocmask with an invalid `how`: EFAULT where a plain load would raise SIGSEGV, EINVAL
// otherwise, no side effect); where that probe does not behave so, a write() into a private pipe.
// An array between the current frame and the top of the calling thread's own stack is readable
// by construction (it is in the live frames of the callers) and is not probed.
//
// Why not process_vm_readv (one call that copies the whole array): it pins the pages and cost
// 1.75 us per call on the reference VM, 45% of a 16 x 4 KiB buffered pwritev (3.9 us); the probe
// costs one plain system call (0.2-0.3 us) per page. Method and numbers: bench/README.md
// ("The cost of the segment-array probe").
#pragma once

#include <cstddef>
#include <cstdint>

// Declares, for this file to implement on Linux:
//   bool readable(const void* src, size_t bytes) noexcept;  (true for 0 bytes, false for NULL)
//   bool copy_from_caller(void* dst, const void* src, size_t bytes) noexcept;
// readable() and then a copy (a snapshot: what sgio validates is what it uses, even if the
// caller's thread rewrites its array meanwhile); false, `dst` untouched, when any byte is not
// readable.
#include "core/file_rules.hpp"
