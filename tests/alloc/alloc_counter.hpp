// SPDX-License-Identifier: Apache-2.0
// Counts (and on demand refuses) every operator new of the process: this test binary replaces the
// global allocation functions, and links the static library, so the engine's std containers,
// make_shared and std::function all go through here.
#pragma once

#include <atomic>
#include <cstdint>

namespace alloc_test {

extern std::atomic<uint64_t> allocations;
// While set, every operator new throws std::bad_alloc (nothrow forms return nullptr).
extern std::atomic<bool> refuse;

}  // namespace alloc_test
