// The io_uring backend (see uring_backend.cpp).
#pragma once

#include <memory>

#include "async/backend.hpp"

namespace sgio {

// How buffered (non-O_DIRECT) writes run on the io_uring backend.
enum class BufferedWritePath : uint8_t {
  worker = 0,  // the backend's small worker set running pwritev (the default; measured faster)
  ring = 1,    // io_uring like everything else (kept for the benchmark that justifies the default)
};

// Throws Error(not_supported) when io_uring cannot be set up here (ENOSYS, EPERM under seccomp or
// io_uring_disabled, ENOMEM from RLIMIT_MEMLOCK on old kernels).
std::unique_ptr<Backend> make_uring_backend(unsigned depth, BufferedWritePath buffered_writes = BufferedWritePath::worker);

}  // namespace sgio
