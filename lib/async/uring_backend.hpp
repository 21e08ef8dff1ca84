// SPDX-License-Identifier: Apache-2.0
// The io_uring backend (see uring_backend.cpp).
#pragma once

#include <memory>

#include "async/backend.hpp"

namespace sgio {

// How buffered (non-O_DIRECT) writes run on the io_uring backend.
enum class BufferedWritePath : uint8_t {
  inline_small = 0,  // pwritev inside submit() up to 1 MiB, larger ones on workers (the default)
  worker = 1,        // always the backend's small worker set running pwritev
  ring = 2,          // io_uring like everything else
};

// Throws Error(not_supported) when io_uring cannot be set up here (ENOSYS, EPERM under seccomp or
// io_uring_disabled, ENOMEM from RLIMIT_MEMLOCK on old kernels).
std::unique_ptr<Backend> make_uring_backend(unsigned depth, BufferedWritePath buffered_writes = BufferedWritePath::inline_small);

}  // namespace sgio
