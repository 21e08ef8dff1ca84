// SPDX-License-Identifier: Apache-2.0
// Test helpers shared by the doctest suites: a scratch directory on the build's file system (ext4,
// so O_DIRECT works) and whole-file reads that do not go through sgio.
// Each suite defines SGIO_TEST_SCRATCH (its binary dir); SGIO_TEST_DIR overrides it at run time.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include <doctest/doctest.h>

namespace sgio_test_common {

// A fresh directory (a random name, created exclusively), removed with everything in it when the
// test ends. std::filesystem, so the same helper serves the Linux and the Windows (Wine) builds.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("SGIO_TEST_DIR");
    const std::filesystem::path root = base && *base ? base : SGIO_TEST_SCRATCH;
    std::random_device rd;
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      const std::filesystem::path p = root / ("sgio-test-" + std::to_string(rd()));
      std::error_code ec;
      if (std::filesystem::create_directory(p, ec)) path_ = p.generic_string();
    }
    REQUIRE(!path_.empty());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The whole file, read without sgio (std::ifstream).
inline std::vector<uint8_t> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::vector<uint8_t> out;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) out.insert(out.end(), buf, buf + in.gcount());
  REQUIRE(!in.bad());
  return out;
}

// Writes `bytes` as the whole file, without sgio (std::ofstream).
inline void spit(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  REQUIRE(out.good());
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  REQUIRE(!out.fail());
}

}  // namespace sgio_test_common
