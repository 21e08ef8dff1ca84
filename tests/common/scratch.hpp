// SPDX-License-Identifier: Apache-2.0
// Test helpers shared by the doctest suites: a scratch directory on the build's file system (ext4,
// so O_DIRECT works) and whole-file reads that do not go through sgio.
// Each suite defines SGIO_TEST_SCRATCH (its binary dir); SGIO_TEST_DIR overrides it at run time.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace sgio_test_common {

// A fresh directory (mkdtemp), removed with everything in it when the test ends.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("SGIO_TEST_DIR");
    std::string tmpl = std::string(base && *base ? base : SGIO_TEST_SCRATCH) + "/sgio-test-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    REQUIRE(mkdtemp(buf.data()) != nullptr);
    path_ = buf.data();
  }
  ~ScratchDir() { remove_tree(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  static void remove_tree(const std::string& p) {
    if (DIR* d = opendir(p.c_str())) {
      while (dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        std::string child = p + "/" + n;
        struct stat st {};
        if (lstat(child.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(child);
        else unlink(child.c_str());
      }
      closedir(d);
    }
    rmdir(p.c_str());
  }
  std::string path_;
};

// The whole file, read with pread(2).
inline std::vector<uint8_t> slurp(const std::string& path) {
  std::vector<uint8_t> out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  uint8_t buf[65536];
  off_t off = 0;
  for (;;) {
    ssize_t r = ::pread(fd, buf, sizeof buf, off);
    REQUIRE(r >= 0);
    if (r == 0) break;
    out.insert(out.end(), buf, buf + r);
    off += r;
  }
  ::close(fd);
  return out;
}

}  // namespace sgio_test_common
