// SPDX-License-Identifier: Apache-2.0
// Scratch files for the internals tests.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sgio/sgio.h>

#include "posix/vector_io.hpp"

namespace sgio_test {

// Opens `path` through the public API with SGIO_OPEN_* `flags`.
inline sgio_file* open_path(const std::string& path, uint32_t flags) {
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = flags;
  sgio_file* f = nullptr;
  REQUIRE(sgio_file_open(&f, path.c_str(), &o) == SGIO_OK);
  return f;
}

// A fresh empty file in the build dir (ext4), removed at scope exit.
class TempFile {
 public:
  explicit TempFile(int extra_flags = 0) {
    std::string tmpl = std::string(SGIO_TEST_SCRATCH) + "/sgio-lib-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    fd_ = mkostemp(buf.data(), O_CLOEXEC | extra_flags);
    REQUIRE(fd_ >= 0);
    path_ = buf.data();
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  std::vector<uint8_t> contents() const {
    struct stat st {};
    REQUIRE(fstat(fd_, &st) == 0);
    std::vector<uint8_t> out(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < out.size()) {
      ssize_t r = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(got));
      REQUIRE(r > 0);
      got += static_cast<size_t>(r);
    }
    return out;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

inline std::vector<uint8_t> random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(g());
  return v;
}

inline sgio::Segment segment(const void* p, uint64_t n) {
  return sgio::Segment{static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)), n};
}

// What a gather of `segs` must leave in the file from offset 0.
inline std::vector<uint8_t> concat(const std::vector<sgio::Segment>& segs) {
  std::vector<uint8_t> out;
  for (const sgio::Segment& s : segs) {
    auto* p = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(s.buffer));
    out.insert(out.end(), p, p + s.length);
  }
  return out;
}

}  // namespace sgio_test
