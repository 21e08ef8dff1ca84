// SPDX-License-Identifier: Apache-2.0
// Issue 11 regressions on the synchronous native face: unreadable segment arrays and buffers
// (SGIO_EFAULT, never SIGSEGV), what sgio_file_adopt_fd accepts and who owns the descriptor when
// it fails, the descriptor gone when sgio_file_close returns, and a direct write crossing an
// unaligned RLIMIT_FSIZE (the aligned prefix, then SGIO_EOVERFLOW).
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <thread>

#include "../common/faults.hpp"
#include "../common/reliability.hpp"
#include "support.hpp"

using namespace sgio_test;
using sgio_test_common::fd_is_open;
using sgio_test_common::FsizeLimit;
using sgio_test_common::GuardedPages;
namespace rel = sgio_test_common::reliability;

TEST_SUITE("reliability") {

TEST_CASE("an unreadable segment array is SGIO_EFAULT, not a crash") {
  ScratchDir dir;
  const std::string p = dir.file("fault.bin");
  spit(p, pattern(65536, 1));
  sgio_file* f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_WRITE);
  GuardedPages mem(2);
  REQUIRE(mem.ok());
  std::vector<uint8_t> data = pattern(4096, 2);
  uint64_t tried = 0, wrong = 0;
  auto expect_fault = [&](const sgio_segment* segs, uint32_t count, const char* what) {
    for (int write = 0; write < 2; ++write) {
      uint64_t n = 77;
      int32_t rc = write ? sgio_file_write_gather(f, segs, count, 0, &n) : sgio_file_read_scatter(f, segs, count, 0, &n);
      INFO(what, write ? " (write)" : " (read)", ": ", sgio_error_name(rc), " ", sgio_last_error_message());
      ++tried;
      bool ok = rc == SGIO_EFAULT && n == 0 &&
                std::string(sgio_last_error_message()).find("not readable") != std::string::npos;
      if (!ok) ++wrong;
      CHECK(ok);
    }
  };
  // The array itself in a PROT_NONE page, in unmapped memory, and running into the guard page
  // (the first segments readable, the rest not), for short and long (chunked) arrays.
  expect_fault(reinterpret_cast<const sgio_segment*>(mem.guard()), 1, "PROT_NONE array");
  expect_fault(reinterpret_cast<const sgio_segment*>(mem.unmapped()), 4, "unmapped array");
  auto* edge = reinterpret_cast<sgio_segment*>(mem.before_guard(2 * sizeof(sgio_segment)));
  edge[0] = seg(data.data(), 100);
  edge[1] = seg(data.data() + 100, 100);
  expect_fault(edge, 3, "array running into a guard page");
  auto* long_edge = reinterpret_cast<sgio_segment*>(mem.before_guard(100 * sizeof(sgio_segment)));
  for (int i = 0; i < 100; ++i) long_edge[i] = seg(data.data() + i, 1);
  expect_fault(long_edge, 101, "200-segment array whose last segment is unreadable");
  expect_fault(long_edge, 5000, "5000-segment array running into a guard page");
  // The same arrays, inside their readable part, still work.
  uint64_t n = 0;
  CHECK(sgio_file_write_gather(f, long_edge, 100, 0, &n) == SGIO_OK);
  CHECK(n == 100);
  edge[0] = seg(data.data(), 100);  // long_edge overlaps it
  edge[1] = seg(data.data() + 100, 100);
  CHECK(sgio_file_write_gather(f, edge, 2, 0, &n) == SGIO_OK);
  CHECK(n == 200);
  rel::record("bad_input", "native/sync", "unreadable segment array", tried, wrong);

  // Buffers are checked by the kernel: EFAULT from pwritev/preadv, reported as SGIO_EFAULT with
  // the prefix that moved.
  tried = wrong = 0;
  sgio_segment bad[2] = {seg(data.data(), 512), seg(mem.guard(), 512)};
  for (int write = 0; write < 2; ++write) {
    n = 77;
    int32_t rc = write ? sgio_file_write_gather(f, bad, 2, 0, &n) : sgio_file_read_scatter(f, bad, 2, 0, &n);
    INFO(sgio_error_name(rc), " ", sgio_last_error_message());
    ++tried;
    // pwritev/preadv may move the readable first buffer before hitting the bad one.
    bool ok = rc == SGIO_EFAULT && (n == 0 || n == 512);
    if (!ok) ++wrong;
    CHECK(ok);
  }
  sgio_segment unmapped_buf = seg(mem.unmapped(), 4096);
  n = 77;
  ++tried;
  int32_t rc = sgio_file_read_scatter(f, &unmapped_buf, 1, 0, &n);
  if (rc != SGIO_EFAULT || n != 0) ++wrong;
  CHECK(rc == SGIO_EFAULT);
  CHECK(n == 0);
  rel::record("bad_input", "native/sync", "unreadable buffer", tried, wrong);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("adopt_fd takes regular files only; on every failure the caller still owns the fd") {
  ScratchDir dir;
  uint64_t tried = 0, wrong = 0;
  auto expect_rejected = [&](int fd, int32_t code, const char* what) {
    REQUIRE(fd >= 0);
    sgio_file* f = reinterpret_cast<sgio_file*>(uintptr_t{0x40});
    int32_t rc = sgio_file_adopt_fd(&f, fd, 0);
    INFO(what, ": ", sgio_error_name(rc), " ", sgio_last_error_message());
    ++tried;
    bool ok = rc == code && f == nullptr && fd_is_open(fd);
    if (!ok) ++wrong;
    CHECK(rc == code);
    CHECK(f == nullptr);
    CHECK(fd_is_open(fd));  // not closed behind the caller's back
    ::close(fd);
  };
  expect_rejected(eventfd(0, EFD_CLOEXEC), SGIO_ENOTSUP, "eventfd");
  int pfd[2];
  REQUIRE(pipe2(pfd, O_CLOEXEC) == 0);
  expect_rejected(pfd[0], SGIO_ENOTSUP, "pipe read end");
  expect_rejected(pfd[1], SGIO_ENOTSUP, "pipe write end");
  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  expect_rejected(sv[0], SGIO_ENOTSUP, "socket");
  ::close(sv[1]);
  expect_rejected(::open("/dev/null", O_RDWR | O_CLOEXEC), SGIO_ENOTSUP, "character device");
  expect_rejected(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), SGIO_EISDIR, "directory");
  rel::record("bad_input", "native/sync", "adopt of a non-seekable or directory fd", tried, wrong);

  // sgio_file_open refuses the same kinds of file by path.
  sgio_file* g = nullptr;
  SGIO_CHECK_FAILS(sgio_file_open(&g, "/dev/null", nullptr), SGIO_ENOTSUP, "regular file");
  CHECK(g == nullptr);
}

TEST_CASE("segment arrays on a thread's own stack and on another thread's stack are used as given") {
  // The library reads an array in the caller's own live stack frames without probing it (the Java
  // binding's arrays are there); an array on another thread's stack is probed like heap memory.
  // Both must transfer exactly the bytes they describe, on the main thread and on a new one.
  ScratchDir dir;
  const std::string p = dir.file("stack.bin");
  sgio_file* f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE);
  std::vector<uint8_t> a = pattern(3000, 3), b = pattern(5000, 4);
  auto write_from_own_stack = [&](uint64_t offset) {
    sgio_segment segs[2] = {seg(a.data(), a.size()), seg(b.data(), b.size())};
    uint64_t n = 0;
    return sgio_file_write_gather(f, segs, 2, offset, &n) == SGIO_OK && n == 8000;
  };
  CHECK(write_from_own_stack(0));
  bool on_thread = false;
  std::thread([&] { on_thread = write_from_own_stack(8000); }).join();
  CHECK(on_thread);
  // Another thread's stack: this thread's array, written by a helper while this one waits.
  sgio_segment mine[2] = {seg(b.data(), b.size()), seg(a.data(), a.size())};
  bool other = false;
  std::thread([&] {
    uint64_t n = 0;
    other = sgio_file_write_gather(f, mine, 2, 16000, &n) == SGIO_OK && n == 8000;
  }).join();
  CHECK(other);
  std::vector<uint8_t> want;
  for (const auto* part : {&a, &b, &a, &b, &b, &a}) want.insert(want.end(), part->begin(), part->end());
  CHECK(slurp(p) == want);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("sgio_file_close: the descriptor is closed when it returns") {
  ScratchDir dir;
  const std::string p = dir.file("close.bin");
  std::vector<uint8_t> data = pattern(4096, 3);
  sgio_segment s = seg(data.data(), data.size());
  uint64_t wrong = 0;
  constexpr int kIterations = 2000;
  for (int i = 0; i < kIterations; ++i) {
    sgio_file* f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE);
    int64_t fd = -1;
    REQUIRE(sgio_file_fd(f, &fd) == SGIO_OK);
    uint64_t n = 0;
    REQUIRE(sgio_file_write_gather(f, &s, 1, 0, &n) == SGIO_OK);
    REQUIRE(sgio_file_close(f) == SGIO_OK);
    if (fd_is_open(static_cast<int>(fd))) ++wrong;  // checked before anything else can reuse it
  }
  CHECK(wrong == 0);
  rel::record("race", "native/sync", "descriptor open after sgio_file_close", kIterations, wrong);
}

TEST_CASE("a direct write crossing an unaligned RLIMIT_FSIZE writes the aligned prefix, then SGIO_EOVERFLOW") {
  ScratchDir dir;
  const std::string p = dir.file("fsize.bin");
  sgio_file* f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT);
  uint32_t mem = 0, off = 0;
  REQUIRE(sgio_file_alignment(f, &mem, &off) == SGIO_OK);
  AlignedBuffer buf(8 * uint64_t{off}, mem);
  std::memset(buf.data(), 0x5a, buf.size());
  std::vector<sgio_segment> segs;
  for (int i = 0; i < 8; ++i) segs.push_back(seg(buf.data() + i * off, off));
  uint64_t tried = 0, wrong = 0;
  {
    FsizeLimit limit(3 * uint64_t{off} + 100);  // inside the fourth block
    REQUIRE(limit.ok());
    uint64_t n = 77;
    int32_t rc = sgio_file_write_gather(f, segs.data(), 8, 0, &n);
    INFO(sgio_error_name(rc), " ", sgio_last_error_message());
    ++tried;
    bool ok = rc == SGIO_EOVERFLOW && n == 3 * uint64_t{off};
    if (!ok) ++wrong;
    CHECK(rc == SGIO_EOVERFLOW);
    CHECK(n == 3 * uint64_t{off});
    // Starting at the last aligned offset below the limit: nothing fits.
    n = 77;
    rc = sgio_file_write_gather(f, segs.data(), 1, 3 * uint64_t{off}, &n);
    ++tried;
    if (rc != SGIO_EOVERFLOW || n != 0) ++wrong;
    CHECK(rc == SGIO_EOVERFLOW);
    CHECK(n == 0);
  }
  uint64_t size = 0;
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == 3 * uint64_t{off});
  rel::record("fault", "native/sync", "direct write across an unaligned RLIMIT_FSIZE", tried, wrong);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

}  // TEST_SUITE
