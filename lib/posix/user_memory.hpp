// SPDX-License-Identifier: Apache-2.0
// Reading the caller's arrays (segment arrays, request arrays, FILE_SEGMENT_ELEMENT arrays)
// without crashing on unreadable memory and without signal handlers (a library must not install
// them). The copy is made by the kernel: process_vm_readv on our own pid fails with EFAULT where a
// plain load would raise SIGSEGV. The copy is also a snapshot: what is validated is what is used,
// even if another thread rewrites the caller's array meanwhile.
//
// Cost (measured for issue 11 with callgrind and strace -c; bench/README.md has the method and the
// numbers): one extra system call per request, a few hundred instructions in user space.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sgio {

// Copies `bytes` bytes from the caller's address `src` to `dst`. Returns false, with nothing
// guaranteed about `dst`, when any of them is not readable. Uses process_vm_readv; if the kernel or
// a seccomp filter refuses it (ENOSYS, EPERM), a write into a private pipe, which fails with
// EFAULT the same way.
bool copy_from_caller(void* dst, const void* src, size_t bytes) noexcept;

}  // namespace sgio
