// SPDX-License-Identifier: Apache-2.0
// The tally behind tests/RELIABILITY.md. A test that injects faults, tries bad inputs, runs a
// torture or verifies bytes calls record() with what it tried and how many results were wrong
// (a wrong result: a crash-free call that claimed bytes not written, returned the wrong code, or
// left bytes different from the model). When SGIO_RELIABILITY_LOG names a file, each call appends
// one tab-separated line to it; scripts/reliability_report.py sums the lines into the report.
// Lines are written with one write(2) on an O_APPEND descriptor, so processes running in parallel
// (ctest -j) never interleave within a line. Without the variable, record() does nothing.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sgio_test_common::reliability {

// category: fault | bad_input | torture | bytes_verified | fuzz | race
// path:     where it went in, e.g. "native/sync", "win32/uring", "queue/pool"
// kind:     what was tried, e.g. "short write", "-EIO on CQE", "unreadable segment array"
// tried:    how many times (calls, operations, bytes for bytes_verified)
// wrong:    how many of them gave a wrong result
inline void record(std::string_view category, std::string_view path, std::string_view kind,
                   uint64_t tried, uint64_t wrong) {
  const char* log = std::getenv("SGIO_RELIABILITY_LOG");
  if (log == nullptr || *log == '\0') return;
  std::string line;
  line.reserve(category.size() + path.size() + kind.size() + 48);
  line.append(category).append("\t").append(path).append("\t").append(kind).append("\t");
  line.append(std::to_string(tried)).append("\t").append(std::to_string(wrong)).append("\n");
#ifdef O_CLOEXEC
  int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
#else  // Windows (mingw's POSIX names over the C runtime): no exec to guard against
  int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_BINARY, 0644);
#endif
  if (fd < 0) return;
  ssize_t n = ::write(fd, line.data(), line.size());
  (void)n;
  ::close(fd);
}

}  // namespace sgio_test_common::reliability
