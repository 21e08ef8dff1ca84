// SPDX-License-Identifier: Apache-2.0
// Opening, adopting, sizing, truncating and flushing files through the native face.
#include "support.hpp"

using namespace sgio_test;

namespace {

int32_t try_open(sgio_file** out, const std::string& path, uint32_t flags) {
  sgio_open_options o = options(flags);
  return sgio_file_open(out, path.c_str(), &o);
}

}  // namespace

TEST_SUITE("file_ops") {

TEST_CASE("open: missing paths, directories, existing files, bad options") {
  ScratchDir dir;
  const std::string existing = dir.file("existing.bin");
  const std::vector<uint8_t> bytes = pattern(10000, 9);
  spit(existing, bytes);
  sgio_file* f = reinterpret_cast<sgio_file*>(uintptr_t{0x40});

  SGIO_CHECK_FAILS(try_open(&f, dir.file("missing.bin"), SGIO_OPEN_READ), SGIO_ENOENT, "missing.bin");
  CHECK(f == nullptr);
  SGIO_CHECK_FAILS(try_open(&f, dir.file("no/such/dir.bin"), SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE),
                   SGIO_ENOENT, "no/such/dir.bin");
  SGIO_CHECK_FAILS(try_open(&f, "", SGIO_OPEN_READ), SGIO_ENOENT, "empty path");
  // A file used as a directory.
  SGIO_CHECK_FAILS(try_open(&f, existing + "/x", SGIO_OPEN_READ), SGIO_ENOENT, "existing.bin/x");
  SGIO_CHECK_FAILS(sgio_file_open(&f, dir.file("missing2.bin").c_str(), nullptr), SGIO_ENOENT, "missing2.bin");

  for (uint32_t flags : {SGIO_OPEN_READ, SGIO_OPEN_READ | SGIO_OPEN_WRITE, SGIO_OPEN_WRITE,
                         SGIO_OPEN_READ | SGIO_OPEN_DIRECT}) {
    CAPTURE(flags);
    SGIO_CHECK_FAILS(try_open(&f, dir.path(), flags), SGIO_EISDIR, "directory");
    CHECK(f == nullptr);
  }

  SGIO_CHECK_FAILS(try_open(&f, existing, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE |
                                              SGIO_OPEN_EXCLUSIVE | SGIO_OPEN_TRUNCATE),
                   SGIO_EEXIST, "existing.bin");
  CHECK(slurp(existing) == bytes);  // not truncated

  sgio_open_options o = options(SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_TRUNCATE);
  o.version = 2;
  SGIO_CHECK_FAILS(sgio_file_open(&f, existing.c_str(), &o), SGIO_EINVAL, "version");
  o.version = 0;
  SGIO_CHECK_FAILS(sgio_file_open(&f, existing.c_str(), &o), SGIO_EINVAL, "version");
  o = options(SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_TRUNCATE | 0x8000u);
  SGIO_CHECK_FAILS(sgio_file_open(&f, existing.c_str(), &o), SGIO_EINVAL, "unknown flag");
  o = options(SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_TRUNCATE);
  o.reserved = 1;
  SGIO_CHECK_FAILS(sgio_file_open(&f, existing.c_str(), &o), SGIO_EINVAL, "reserved");
  o = options(SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_TRUNCATE);
  o.mode = 010000;
  SGIO_CHECK_FAILS(sgio_file_open(&f, existing.c_str(), &o), SGIO_EINVAL, "mode");
  SGIO_CHECK_FAILS(try_open(&f, existing, SGIO_OPEN_TRUNCATE | SGIO_OPEN_CREATE), SGIO_EINVAL,
                   "neither read nor write");
  SGIO_CHECK_FAILS(try_open(&f, existing, SGIO_OPEN_READ | SGIO_OPEN_TRUNCATE), SGIO_EINVAL, "truncate");
  SGIO_CHECK_FAILS(try_open(&f, existing, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_EXCLUSIVE), SGIO_EINVAL,
                   "exclusive");
  CHECK(f == nullptr);
  CHECK(slurp(existing) == bytes);

  sgio_open_options init;
  SGIO_CHECK_FAILS(sgio_open_options_init(&init, 0), SGIO_EINVAL, "version 0");
  SGIO_CHECK_FAILS(sgio_open_options_init(&init, SGIO_OPEN_OPTIONS_VERSION + 1), SGIO_EINVAL, "version 2");
}

TEST_CASE("open: defaults, create, exclusive, truncate, mode") {
  ScratchDir dir;
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  CHECK(o.version == SGIO_OPEN_OPTIONS_VERSION);
  CHECK(o.flags == (SGIO_OPEN_READ | SGIO_OPEN_WRITE));
  CHECK(o.mode == 0644);
  CHECK(o.reserved == 0);

  const std::string p = dir.file("new.bin");
  sgio_file* f = nullptr;
  o = options(SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_EXCLUSIVE);
  o.mode = 0600;
  REQUIRE(sgio_file_open(&f, p.c_str(), &o) == SGIO_OK);
#ifndef _WIN32  // POSIX permission bits
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0600 & ~[] { mode_t m = umask(0); umask(m); return m; }()));
#endif
  uint64_t size = 1;
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 0);
  const std::vector<uint8_t> data = pattern(5000, 1);
  sgio_segment s = seg(data.data(), data.size());
  uint64_t n = 0;
  CHECK(sgio_file_write_gather(f, &s, 1, 0, &n) == SGIO_OK);
  CHECK(n == 5000);
  CHECK(sgio_file_close(f) == SGIO_OK);

  // NULL options: read+write of an existing file.
  REQUIRE(sgio_file_open(&f, p.c_str(), nullptr) == SGIO_OK);
  CHECK(sgio_file_write_gather(f, &s, 1, 5000, &n) == SGIO_OK);
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 10000);
  CHECK(sgio_file_close(f) == SGIO_OK);

  // CREATE without EXCLUSIVE opens the existing file as is; TRUNCATE empties it.
  f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE);
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 10000);
  CHECK(sgio_file_close(f) == SGIO_OK);
  f = open_file(p, SGIO_OPEN_WRITE | SGIO_OPEN_TRUNCATE | SGIO_OPEN_DSYNC);
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 0);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("truncate, size and flush") {
  ScratchDir dir;
  const std::string p = dir.file("t.bin");
  const std::vector<uint8_t> bytes = pattern(12345, 4);
  spit(p, bytes);
  sgio_file* f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_WRITE);
  uint64_t size = 0;
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 12345);
  CHECK(sgio_file_truncate(f, 20000) == SGIO_OK);  // extends with zeros
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 20000);
  std::vector<uint8_t> now = slurp(p);
  REQUIRE(now.size() == 20000);
  CHECK(std::equal(bytes.begin(), bytes.end(), now.begin()));
  CHECK(std::all_of(now.begin() + 12345, now.end(), [](uint8_t c) { return c == 0; }));
  CHECK(sgio_file_truncate(f, 100) == SGIO_OK);  // cuts
  now = slurp(p);
  CHECK(now == std::vector<uint8_t>(bytes.begin(), bytes.begin() + 100));
  CHECK(sgio_file_flush(f) == SGIO_OK);
  SGIO_CHECK_FAILS(sgio_file_truncate(f, uint64_t{1} << 63), SGIO_EOVERFLOW, "beyond INT64_MAX");
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 100);
  CHECK(sgio_file_truncate(f, 0) == SGIO_OK);
  CHECK(slurp(p).empty());
  CHECK(sgio_file_close(f) == SGIO_OK);
  // Flush of a read-only handle is allowed (fdatasync works on any descriptor).
  f = open_file(p, SGIO_OPEN_READ);
  CHECK(sgio_file_flush(f) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

#ifndef _WIN32  // descriptors: tests/windows/adopt_test.cpp has the HANDLE variant
TEST_CASE("adopt_fd and fd: round trip, ownership, access and O_DIRECT from the descriptor") {
  ScratchDir dir;
  const std::string p = dir.file("adopt.bin");
  spit(p, pattern(8192, 5));

  int fd = ::open(p.c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  sgio_file* f = nullptr;
  REQUIRE(sgio_file_adopt_fd(&f, fd, 0) == SGIO_OK);
  int64_t got = -1;
  CHECK(sgio_file_fd(f, &got) == SGIO_OK);
  CHECK(got == fd);
  const std::vector<uint8_t> data = pattern(3000, 6);
  sgio_segment s[2] = {seg(data.data(), 1000), seg(data.data() + 1000, 2000)};
  uint64_t n = 0;
  CHECK(sgio_file_write_gather(f, s, 2, 100, &n) == SGIO_OK);
  CHECK(n == 3000);
  std::vector<uint8_t> back(3000);
  CHECK(::pread(fd, back.data(), back.size(), 100) == 3000);  // the descriptor sees the data
  CHECK(back == data);
  uint32_t m = 0, o = 0;
  CHECK(sgio_file_alignment(f, &m, &o) == SGIO_OK);
  CHECK(m == 1);
  CHECK(o == 1);
  CHECK(sgio_file_close(f) == SGIO_OK);
  errno = 0;
  CHECK(fcntl(fd, F_GETFD) == -1);  // the handle owned and closed it
  CHECK(errno == EBADF);

  // Access mode comes from the descriptor.
  fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(sgio_file_adopt_fd(&f, fd, 0) == SGIO_OK);
  SGIO_CHECK_FAILS(sgio_file_write_gather(f, s, 2, 0, &n), SGIO_EACCES, "not open for writing");
  CHECK(sgio_file_read_scatter(f, s, 1, 0, &n) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
  fd = ::open(p.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(sgio_file_adopt_fd(&f, fd, 0) == SGIO_OK);
  SGIO_CHECK_FAILS(sgio_file_read_scatter(f, s, 2, 0, &n), SGIO_EACCES, "not open for reading");
  CHECK(sgio_file_close(f) == SGIO_OK);

  // O_DIRECT comes from the descriptor too.
  fd = ::open(p.c_str(), O_RDWR | O_DIRECT | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(sgio_file_adopt_fd(&f, fd, 0) == SGIO_OK);
  CHECK(sgio_file_alignment(f, &m, &o) == SGIO_OK);
  CHECK(m > 1);
  CHECK(o > 1);
  SGIO_CHECK_FAILS(sgio_file_write_gather(f, s, 1, 1, &n), SGIO_EALIGN, "direct I/O");
  CHECK(sgio_file_close(f) == SGIO_OK);

  // Bad descriptors.
  f = reinterpret_cast<sgio_file*>(uintptr_t{0x40});
  SGIO_CHECK_FAILS(sgio_file_adopt_fd(&f, -1, 0), SGIO_EINVAL, "fd");
  CHECK(f == nullptr);
  SGIO_CHECK_FAILS(sgio_file_adopt_fd(&f, int64_t{1} << 40, 0), SGIO_EINVAL, "fd out of range");
  int spare = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(spare >= 0);
  SGIO_CHECK_FAILS(sgio_file_adopt_fd(&f, spare, 1), SGIO_EINVAL, "flags must be 0");
  ::close(spare);
  SGIO_CHECK_FAILS(sgio_file_adopt_fd(&f, spare, 0), SGIO_EBADHANDLE, "not open");
  int dfd = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dfd >= 0);
  SGIO_CHECK_FAILS(sgio_file_adopt_fd(&f, dfd, 0), SGIO_EISDIR, "directory");
  CHECK(f == nullptr);
  ::close(dfd);
}

#endif

}  // TEST_SUITE
