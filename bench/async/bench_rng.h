// SPDX-License-Identifier: Apache-2.0
/* The benchmarks' random numbers (xorshift64): offsets and page draws, the same sequence every run. */
#pragma once
#include <stdint.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static inline uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}
