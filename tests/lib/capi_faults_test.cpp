// SPDX-License-Identifier: Apache-2.0
// The extern "C" gather/scatter calls (linked statically) over a faulty SysIo: failures after
// partial progress report exactly the prefix that reached the file, with the right code and message.
#include <sgio/sgio.h>
#include <sgio/sgio_win32.h>

#include <cstring>
#include <string>

#include "../common/reliability.hpp"
#include "fake_sys_io.hpp"
#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace sgio_test;

namespace {


sgio_segment cseg(const void* p, uint64_t n) { return sgio_segment{reinterpret_cast<uintptr_t>(p), n}; }

}  // namespace

TEST_SUITE("capi_faults") {

TEST_CASE("sgio_file_write_gather: out_written is the prefix written before the error") {
  std::vector<uint8_t> a = random_bytes(10000, 1), b = random_bytes(3000, 2);
  sgio_segment segs[2] = {cseg(a.data(), a.size()), cseg(b.data(), b.size())};
  struct Case {
    int err;
    int32_t status;
  };
  for (Case c : {Case{EIO, SGIO_EIO}, Case{ENOSPC, SGIO_ENOSPC}, Case{EDQUOT, SGIO_ENOSPC}, Case{EFBIG, SGIO_EOVERFLOW},
                 Case{EPERM, SGIO_EACCES}, Case{EXDEV, SGIO_ESYS}, Case{EAGAIN, SGIO_EAGAIN}, Case{EFAULT, SGIO_EFAULT},
                 Case{EBUSY, SGIO_EBUSY}}) {
    CAPTURE(c.err);
    TempFile file;
    sgio_file* f = open_path(file.path(), SGIO_OPEN_READ | SGIO_OPEN_WRITE);
    FakeSysIo io;
    // 4321 bytes (mid-segment 0), then 10000-4321+5 (5 bytes into segment 1), then the error.
    io.script = [&](size_t call, uint64_t) {
      return call == 0 ? Act::cut_at(4321) : call == 1 ? Act::cut_at(10000 - 4321 + 5) : Act::error(c.err);
    };
    uint64_t n = 0;
    int32_t rc;
    {
      Installed use(&io);
      rc = sgio_file_write_gather(f, segs, 2, 0, &n);
    }
    std::string msg = sgio_last_error_message();
    CHECK(rc == c.status);
    CHECK(n == 10005);
    CHECK(msg.find("after 10005 bytes") != std::string::npos);
    CHECK(msg.find(std::strerror(c.err)) != std::string::npos);
    std::vector<uint8_t> want(a.begin(), a.end());
    want.insert(want.end(), b.begin(), b.begin() + 5);
    CHECK(file.contents() == want);
    CHECK(sgio_file_close(f) == SGIO_OK);
  }
  sgio_test_common::reliability::tally("fault", "native/capi (SysIo fake)",
                                       "error after partial progress on a write", 1);
}

TEST_CASE("sgio_file_write_gather: a write that stops making progress is SGIO_ENOSPC") {
  std::vector<uint8_t> a = random_bytes(8192, 3);
  sgio_segment s = cseg(a.data(), a.size());
  TempFile file;
  sgio_file* f = open_path(file.path(), SGIO_OPEN_WRITE);
  FakeSysIo io;
  io.script = [](size_t call, uint64_t) { return call == 0 ? Act::cut_at(1) : Act::nothing(); };
  uint64_t n = 0;
  int32_t rc;
  {
    Installed use(&io);
    rc = sgio_file_write_gather(f, &s, 1, 0, &n);
  }
  CHECK(rc == SGIO_ENOSPC);
  CHECK(n == 1);
  CHECK(std::string(sgio_last_error_message()).find("after 1 bytes") != std::string::npos);
  CHECK(file.contents().size() == 1);
  CHECK(sgio_file_close(f) == SGIO_OK);
  sgio_test_common::reliability::tally("fault", "native/capi (SysIo fake)", "no progress on a write", 1);
}

TEST_CASE("sgio_file_read_scatter: out_read is the prefix read before the error") {
  TempFile file;
  std::vector<uint8_t> data = random_bytes(20000, 4);
  REQUIRE(::pwrite(file.fd(), data.data(), data.size(), 0) == 20000);
  sgio_file* f = open_path(file.path(), SGIO_OPEN_READ);
  std::vector<uint8_t> a(6000, 0xEE), b(6000, 0xEE);
  sgio_segment segs[2] = {cseg(a.data(), a.size()), cseg(b.data(), b.size())};
  FakeSysIo io;
  io.script = [](size_t call, uint64_t) {
    return call == 0 ? Act::error(EINTR) : call == 1 ? Act::cut_at(6001) : Act::error(EIO);
  };
  uint64_t n = 0;
  int32_t rc;
  {
    Installed use(&io);
    rc = sgio_file_read_scatter(f, segs, 2, 100, &n);
  }
  CHECK(rc == SGIO_EIO);
  CHECK(n == 6001);
  CHECK(std::string(sgio_last_error_message()).find("after 6001 bytes") != std::string::npos);
  CHECK(std::memcmp(a.data(), data.data() + 100, 6000) == 0);
  CHECK(b[0] == data[6100]);
  CHECK(b[1] == 0xEE);
  CHECK(sgio_file_close(f) == SGIO_OK);
  sgio_test_common::reliability::tally("fault", "native/capi (SysIo fake)",
                                       "error after partial progress on a read", 1);
}

TEST_CASE("the Win32 face: EAGAIN, EFAULT, EFBIG and EMFILE from the system call get their own Win32 codes") {
  // EAGAIN is a transient shortage (ERROR_NO_SYSTEM_RESOURCES, what Windows' I/O manager reports
  // for STATUS_INSUFFICIENT_RESOURCES), not ERROR_GEN_FAILURE; EFAULT is ERROR_NOACCESS.
  struct Case {
    int err;
    DWORD code;
  };
  uint64_t tried = 0, wrong = 0;
  for (Case c : {Case{EAGAIN, ERROR_NO_SYSTEM_RESOURCES}, Case{EFAULT, ERROR_NOACCESS},
                 Case{EFBIG, ERROR_FILE_TOO_LARGE}, Case{EMFILE, ERROR_TOO_MANY_OPEN_FILES}}) {
    CAPTURE(c.err);
    TempFile file;
    HANDLE h = CreateFileA(file.path().c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    std::vector<uint8_t> a(4096, 1);
    FakeSysIo io;
    io.script = [&](size_t, uint64_t) { return Act::error(c.err); };
    DWORD n = 77;
    BOOL ok;
    DWORD code;
    {
      Installed use(&io);
      ok = WriteFile(h, a.data(), 4096, &n, nullptr);
      code = GetLastError();
    }
    ++tried;
    if (ok != FALSE || code != c.code || n != 0) ++wrong;
    CHECK(ok == FALSE);
    CHECK(code == c.code);
    CHECK(n == 0);
    CHECK(CloseHandle(h));
  }
  sgio_test_common::reliability::record("fault", "win32/sync", "errno from pwritev -> Win32 code", tried, wrong);
}

TEST_CASE("invalid requests never reach the system calls") {
  TempFile file;
  sgio_file* f = open_path(file.path(), SGIO_OPEN_READ | SGIO_OPEN_WRITE);
  std::vector<uint8_t> a(4096);
  sgio_segment bad[2] = {cseg(a.data(), 4096), sgio_segment{0, 4096}};
  FakeSysIo io;
  uint64_t n = 0;
  {
    Installed use(&io);
    CHECK(sgio_file_write_gather(f, bad, 2, 0, &n) == SGIO_EINVAL);
    CHECK(sgio_file_read_scatter(f, bad, 2, 0, &n) == SGIO_EINVAL);
    CHECK(sgio_file_write_gather(f, bad, 0, 0, &n) == SGIO_EINVAL);
  }
  CHECK(io.calls.empty());
  CHECK(sgio_file_close(f) == SGIO_OK);
  sgio_test_common::reliability::tally("bad_input", "native/capi (SysIo fake)",
                                       "invalid segments never reach a system call", 3);
}

}  // TEST_SUITE
