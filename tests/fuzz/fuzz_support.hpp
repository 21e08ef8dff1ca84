// SPDX-License-Identifier: Apache-2.0
// Shared by the libFuzzer harnesses: an invariant check that aborts (libFuzzer then saves the input
// as a crash, so a wrong result counts exactly like a crash), the status-code check of the native
// face, and scratch files in /dev/shm (tmpfs: no disk I/O, O_DIRECT supported since Linux 6.6).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sgio/sgio.h>

#define FUZZ_CHECK(cond, ...)                                                       \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "invariant failed at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                            \
      std::fprintf(stderr, "\n");                                                   \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

namespace sgio_fuzz {

// 0 or one of the SGIO_E* codes of sgio_errors.h (never an unknown value). Asks the library's own
// table, so codes appended later stay valid here.
inline bool valid_status(int32_t rc) {
  return rc == 0 || (rc < 0 && std::string(sgio_error_name(rc)) != "SGIO_UNKNOWN");
}

// A per-process scratch path on tmpfs, so parallel fuzzing jobs never share files.
inline std::string scratch_path(const char* tag) {
  const char* base = std::getenv("SGIO_FUZZ_DIR");
  return std::string(base && *base ? base : "/dev/shm") + "/sgio-fuzz-" + tag + "-" + std::to_string(getpid());
}

}  // namespace sgio_fuzz
