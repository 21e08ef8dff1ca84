// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the native-face tests: a scratch directory on the build's file system,
// whole-file reads through plain POSIX (independent of sgio), and status assertions that also
// demand a specific last-error message.
#pragma once

#ifndef _WIN32
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sgio/sgio.h>

#include "../common/scratch.hpp"

namespace sgio_test {

using sgio_test_common::ScratchDir;
using sgio_test_common::slurp;
using sgio_test_common::spit;

// Deterministic bytes for fixtures.
inline std::vector<uint8_t> pattern(size_t n, uint8_t salt) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>((i * 131 + salt * 7 + (i >> 9)) & 0xff);
  return v;
}

inline sgio_open_options options(uint32_t flags) {
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = flags;
  return o;
}

inline sgio_file* open_file(const std::string& path, uint32_t flags) {
  sgio_open_options o = options(flags);
  sgio_file* f = nullptr;
  int32_t rc = sgio_file_open(&f, path.c_str(), &o);
  INFO("open ", path, ": ", sgio_error_name(rc), " ", sgio_last_error_message());
  REQUIRE(rc == SGIO_OK);
  REQUIRE(f != nullptr);
  return f;
}

inline sgio_segment seg(const void* p, uint64_t len) {
  return sgio_segment{static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)), len};
}

// Aligned, zero-filled memory from the library, freed on scope exit.
class AlignedBuffer {
 public:
  explicit AlignedBuffer(uint64_t size, uint64_t alignment = 0) : size_(size) {
    REQUIRE(sgio_aligned_alloc(&p_, size, alignment) == SGIO_OK);
    REQUIRE(p_ != nullptr);
  }
  ~AlignedBuffer() { sgio_aligned_free(p_); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  uint8_t* data() const { return static_cast<uint8_t*>(p_); }
  uint64_t size() const { return size_; }

 private:
  void* p_ = nullptr;
  uint64_t size_;
};

// Before each call expected to fail, plant a message the call must replace: proves the message
// we then inspect came from that call (successful calls leave the message alone).
inline void plant_message() {
  sgio_open_options o;
  (void)sgio_open_options_init(&o, 0x5eed);  // fails: unknown version 0x5eed
}

}  // namespace sgio_test

// The call returned `code`, and the thread's message is non-empty, fresh and contains `needle`.
#define SGIO_CHECK_FAILS(call, code, needle)                                                      \
  do {                                                                                           \
    ::sgio_test::plant_message();                                                                \
    std::string sgio_planted_ = sgio_last_error_message();                                       \
    int32_t sgio_rc_ = (call);                                                                   \
    std::string sgio_msg_ = sgio_last_error_message();                                           \
    INFO(#call, " -> ", std::string(sgio_error_name(sgio_rc_)), ": \"", sgio_msg_, "\"");                   \
    CHECK(sgio_rc_ == (code));                                                                   \
    CHECK(!sgio_msg_.empty());                                                                   \
    CHECK(sgio_msg_ != sgio_planted_);                                                           \
    CHECK(sgio_msg_.find(needle) != std::string::npos);                                          \
  } while (0)
