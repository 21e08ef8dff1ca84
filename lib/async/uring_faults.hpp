// SPDX-License-Identifier: Apache-2.0
// Fault injection for the io_uring backend, for tests only. The backend passes each request CQE's
// result through rewrite() before acting on it, so a test can make the ring report what a real
// device or kernel sometimes does (short transfers, -EIO, -ENOSPC, -EINTR, -EAGAIN, -ECANCELED,
// no progress) and check that the request still ends with the right bytes and status.
//
// Compiled only into sgio_engine_faults (lib/async/CMakeLists.txt, built with the tests), where
// SGIO_URING_FAULTS is defined. libsgio.so and sgio_static never define it, so the shipped
// library holds no trace of it; lib.uring_faults_absent checks that with nm.
#pragma once

#ifdef SGIO_URING_FAULTS

#include <cstdint>
#include <vector>

#include "async/backend.hpp"

namespace sgio::uring_faults {

// The nth CQE (1-based, counted per kind since arm()) of requests of kind `op` gets `result`:
//   result > 0:  a short transfer: the CQE claims at most `result` bytes (the rest is resubmitted)
//   result <= 0: the CQE's result becomes `result` (0: no progress, or -EIO, -ENOSPC, -EINTR, ...)
struct Rule {
  OpKind op;
  uint64_t nth;
  int result;
};

// Replaces the schedule and restarts the counters.
void arm(std::vector<Rule> rules);
// No more rewriting (the counters keep counting).
void disarm();
// Rules applied since arm().
uint64_t fired();
// Request CQEs of kind `op` seen since arm().
uint64_t seen(OpKind op);

// Called by the backend for every request CQE (never for NOP or cancel CQEs).
int rewrite(OpKind op, int res) noexcept;

// The next `count` kernel waits of a leading thread return `error` (negative errno) instead of
// what the kernel said, as if io_uring_enter failed unexpectedly.
void fail_waits(uint64_t count, int error);
// Kernel waits by leading threads since the process started.
uint64_t waits();
// Called by the backend with the result of each leader's kernel wait.
int rewrite_wait(int rc) noexcept;

// io_uring_enter calls that submitted SQEs, since the process started.
uint64_t enters();
// Called by the backend for each such call.
void count_enter() noexcept;

}  // namespace sgio::uring_faults

#endif  // SGIO_URING_FAULTS
