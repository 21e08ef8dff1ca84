// SPDX-License-Identifier: Apache-2.0
// The io_uring backend (see uring_backend.cpp).
#pragma once

#include <memory>

#include "async/backend.hpp"

namespace sgio {

// How buffered (non-O_DIRECT) writes run on the io_uring backend.
enum class BufferedWritePath : uint8_t {
  inline_small = 0,  // pwritev on the submitting thread up to 1 MiB, larger ones on workers (the default)
  worker = 1,        // always the backend's small worker set running pwritev
  ring = 2,          // io_uring like everything else
};

// Throws Error(not_supported) when io_uring cannot be set up here (ENOSYS, EPERM under seccomp or
// io_uring_disabled, ENOMEM from RLIMIT_MEMLOCK on old kernels).
std::unique_ptr<Backend> make_uring_backend(unsigned depth, BufferedWritePath buffered_writes = BufferedWritePath::inline_small);

// Tests: the most requests this backend keeps in the ring at once (the rest wait in its backlog),
// and the CQ size; requests in the ring never exceed half the CQ, so the CQ cannot overflow.
struct UringLimits {
  unsigned ring_requests;
  unsigned cq_entries;
  unsigned peak_in_ring;  // the most requests seen in the ring at once
};
// `b` must be an io_uring backend.
UringLimits uring_limits(Backend& b);

}  // namespace sgio
