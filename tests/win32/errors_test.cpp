// SPDX-License-Identifier: Apache-2.0
// The failures of WriteFileGather/ReadFileScatter: ERROR_INVALID_PARAMETER, ERROR_INVALID_HANDLE,
// ERROR_ACCESS_DENIED; and errno holding the Win32 code after every call that sets it.
#include <thread>

#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace w32_test;

namespace {

struct Setup {
  ScratchDir dir;
  DWORD page = page_size();
  std::string path = dir.file("e.bin");
  HANDLE file = open_direct(path);
  Pages buf{2, 0x11};
  FILE_SEGMENT_ELEMENT fse[3] = {};
  OVERLAPPED ov{};
  Setup() {
    fse[0].Buffer = buf.page(0);
    fse[1].Buffer = buf.page(1);
    // Give the file two pages so reads have data.
    OVERLAPPED w{};
    BOOL r = WriteFileGather(file, fse, 2 * page, nullptr, &w);
    if (!r) REQUIRE(GetLastError() == ERROR_IO_PENDING);
    DWORD tx = 0;
    REQUIRE(GetOverlappedResult(file, &w, &tx, TRUE));
    std::memset(&ov, 0, sizeof ov);
  }
  ~Setup() { CloseHandle(file); }
};

}  // namespace

TEST_SUITE("errors") {

TEST_CASE("ERROR_INVALID_PARAMETER: handle without FILE_FLAG_OVERLAPPED or without FILE_FLAG_NO_BUFFERING") {
  Setup s;
  for (DWORD flags : {DWORD{FILE_FLAG_NO_BUFFERING}, DWORD{FILE_FLAG_OVERLAPPED}, DWORD{0}}) {
    CAPTURE(flags);
    HANDLE h = CreateFileA(s.path.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_EXISTING, flags, nullptr);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    OVERLAPPED ov{};
    CHECK_BOOL_FAILS(WriteFileGather(h, s.fse, s.page, nullptr, &ov), ERROR_INVALID_PARAMETER);
    CHECK_BOOL_FAILS(ReadFileScatter(h, s.fse, s.page, nullptr, &ov), ERROR_INVALID_PARAMETER);
    CHECK(CloseHandle(h));
  }
  sgio_test_common::reliability::tally("bad_input", sgio_test_common::reliability::on_backend("win32"),
                                       "handle without OVERLAPPED or NO_BUFFERING", 2);
}

TEST_CASE("ERROR_INVALID_PARAMETER: segment buffers not page-aligned") {
  Setup s;
  const uint32_t sector = sector_of(s.file);
  FILE_SEGMENT_ELEMENT bad[3] = {};
  bad[0].Buffer = s.buf.page(0);
  bad[1].Buffer = s.buf.page(1) + sector;  // sector-aligned, not page-aligned: still refused
  CHECK_BOOL_FAILS(WriteFileGather(s.file, bad, 2 * s.page, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(ReadFileScatter(s.file, bad, 2 * s.page, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  bad[0].Buffer = s.buf.page(0) + 8;
  CHECK_BOOL_FAILS(WriteFileGather(s.file, bad, s.page, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  // A NULL element before the byte count is covered.
  bad[0].Buffer = s.buf.page(0);
  bad[1].Buffer = nullptr;
  CHECK_BOOL_FAILS(WriteFileGather(s.file, bad, 2 * s.page, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(ReadFileScatter(s.file, nullptr, s.page, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  sgio_test_common::reliability::tally("bad_input", sgio_test_common::reliability::on_backend("win32"),
                                       "segment buffers not page-aligned", 1);
}

TEST_CASE("ERROR_INVALID_PARAMETER: byte count or offset not a multiple of the sector size") {
  Setup s;
  const uint32_t sector = sector_of(s.file);
  for (DWORD bytes : {DWORD{1}, DWORD{sector - 1}, DWORD{sector + 1}, DWORD{s.page - 1}, DWORD{s.page + 100}}) {
    CAPTURE(bytes);
    CHECK_BOOL_FAILS(WriteFileGather(s.file, s.fse, bytes, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
    CHECK_BOOL_FAILS(ReadFileScatter(s.file, s.fse, bytes, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  }
  for (uint64_t off : {uint64_t{1}, uint64_t{sector / 2}, uint64_t{s.page + 3}, (uint64_t{1} << 32) + 1}) {
    CAPTURE(off);
    OVERLAPPED ov{};
    set_offset(ov, off);
    CHECK_BOOL_FAILS(WriteFileGather(s.file, s.fse, s.page, nullptr, &ov), ERROR_INVALID_PARAMETER);
    CHECK_BOOL_FAILS(ReadFileScatter(s.file, s.fse, s.page, nullptr, &ov), ERROR_INVALID_PARAMETER);
  }
  sgio_test_common::reliability::tally("bad_input", sgio_test_common::reliability::on_backend("win32"),
                                       "byte count or offset not a sector multiple", 2);
}

TEST_CASE("ERROR_INVALID_PARAMETER: lpReserved not NULL, lpOverlapped NULL") {
  Setup s;
  DWORD reserved = 0;
  CHECK_BOOL_FAILS(WriteFileGather(s.file, s.fse, s.page, &reserved, &s.ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(ReadFileScatter(s.file, s.fse, s.page, &reserved, &s.ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(WriteFileGather(s.file, s.fse, s.page, nullptr, nullptr), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(ReadFileScatter(s.file, s.fse, s.page, nullptr, nullptr), ERROR_INVALID_PARAMETER);
  sgio_test_common::reliability::tally("bad_input", sgio_test_common::reliability::on_backend("win32"),
                                       "lpReserved not NULL, lpOverlapped NULL", 2);
}

TEST_CASE("ERROR_INVALID_HANDLE: bad, closed and wrong-kind handles") {
  Setup s;
  HANDLE closed = open_direct(s.dir.file("closed.bin"));
  REQUIRE(CloseHandle(closed));
  HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  for (HANDLE h : {INVALID_HANDLE_VALUE, HANDLE{nullptr}, reinterpret_cast<HANDLE>(uintptr_t{0x1230}),
                   reinterpret_cast<HANDLE>(uintptr_t{3}), closed, event, port}) {
    CAPTURE(h);
    CHECK_BOOL_FAILS(WriteFileGather(h, s.fse, s.page, nullptr, &s.ov), ERROR_INVALID_HANDLE);
    CHECK_BOOL_FAILS(ReadFileScatter(h, s.fse, s.page, nullptr, &s.ov), ERROR_INVALID_HANDLE);
    DWORD tx;
    CHECK_BOOL_FAILS(GetOverlappedResult(h, &s.ov, &tx, FALSE), ERROR_INVALID_HANDLE);
    CHECK_BOOL_FAILS(CancelIoEx(h, nullptr), ERROR_INVALID_HANDLE);
  }
  // A bogus event handle in OVERLAPPED.
  OVERLAPPED ov{};
  ov.hEvent = reinterpret_cast<HANDLE>(uintptr_t{0x4440});
  CHECK_BOOL_FAILS(WriteFileGather(s.file, s.fse, s.page, nullptr, &ov), ERROR_INVALID_HANDLE);
  CHECK_BOOL_FAILS(CloseHandle(closed), ERROR_INVALID_HANDLE);
  CHECK(CloseHandle(event));
  CHECK(CloseHandle(port));
  sgio_test_common::reliability::tally("bad_input", sgio_test_common::reliability::on_backend("win32"),
                                       "bad, closed and wrong-kind handles", 1);
}

TEST_CASE("ERROR_ACCESS_DENIED: gather on a read-only handle, scatter on a write-only handle") {
  Setup s;
  const DWORD flags = FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING;
  const DWORD rw = FILE_SHARE_READ | FILE_SHARE_WRITE;
  HANDLE ro = CreateFileA(s.path.c_str(), GENERIC_READ, rw, nullptr, OPEN_EXISTING, flags, nullptr);
  HANDLE wo = CreateFileA(s.path.c_str(), GENERIC_WRITE, rw, nullptr, OPEN_EXISTING, flags, nullptr);
  REQUIRE(ro != INVALID_HANDLE_VALUE);
  REQUIRE(wo != INVALID_HANDLE_VALUE);
  OVERLAPPED ov{};
  CHECK_BOOL_FAILS(WriteFileGather(ro, s.fse, s.page, nullptr, &ov), ERROR_ACCESS_DENIED);
  CHECK_BOOL_FAILS(ReadFileScatter(wo, s.fse, s.page, nullptr, &ov), ERROR_ACCESS_DENIED);
  // The permitted directions work.
  CHECK_BOOL_FAILS(ReadFileScatter(ro, s.fse, s.page, nullptr, &ov), ERROR_IO_PENDING);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(ro, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == s.page);
  CHECK(CloseHandle(ro));
  CHECK(CloseHandle(wo));
  sgio_test_common::reliability::tally("bad_input", sgio_test_common::reliability::on_backend("win32"),
                                       "gather/scatter against the access mode", 2);
}

TEST_CASE("errno holds the Win32 code after failures; successful calls leave errno alone") {
  Setup s;
  errno = 0;
  CHECK_BOOL_FAILS(WriteFileGather(s.file, s.fse, 3, nullptr, &s.ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(SetEvent(reinterpret_cast<HANDLE>(uintptr_t{0x8880})), ERROR_INVALID_HANDLE);
  HANDLE h = CreateFileA(s.dir.file("missing/x").c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr);
  int e = errno;
  CHECK(h == INVALID_HANDLE_VALUE);
  CHECK(e == ERROR_PATH_NOT_FOUND);
  CHECK(GetLastError() == ERROR_PATH_NOT_FOUND);
  CHECK(VirtualAlloc(nullptr, 0, MEM_COMMIT, PAGE_READWRITE) == nullptr);
  e = errno;
  CHECK(e == ERROR_INVALID_PARAMETER);
  CHECK(WaitForSingleObject(nullptr, 0) == WAIT_FAILED);
  e = errno;
  CHECK(e == ERROR_INVALID_HANDLE);
  // Pending is a "failure" that sets the last error too.
  CHECK_BOOL_FAILS(ReadFileScatter(s.file, s.fse, s.page, nullptr, &s.ov), ERROR_IO_PENDING);
  DWORD tx = 0;
  errno = 4242;
  CHECK(GetOverlappedResult(s.file, &s.ov, &tx, TRUE) == TRUE);
  e = errno;
  CHECK(e == 4242);
  HANDLE ev = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  errno = 77;
  CHECK(SetEvent(ev) == TRUE);
  e = errno;
  CHECK(e == 77);
  CHECK(GetLastError() == ERROR_IO_PENDING);  // successes did not clear it
  SetLastError(1234);
  e = errno;
  CHECK(e == 1234);
  CHECK(GetLastError() == 1234);
  e = errno;
  CHECK(e == 1234);  // GetLastError does not touch errno
  CHECK(CloseHandle(ev));
}

TEST_CASE("the last error is per thread") {
  SetLastError(11);
  DWORD other = 0;
  int other_errno = 0;
  std::thread t([&] {
    SetLastError(22);
    CHECK_BOOL_FAILS(CloseHandle(nullptr), ERROR_INVALID_HANDLE);
    other = GetLastError();
    other_errno = errno;
  });
  t.join();
  CHECK(other == ERROR_INVALID_HANDLE);
  CHECK(other_errno == ERROR_INVALID_HANDLE);
  CHECK(GetLastError() == 11);
}

}  // TEST_SUITE

TEST_SUITE("errors") {

TEST_CASE("one handle table: CreateFile handles work with the native face; native files are not Win32 files") {
  ScratchDir dir;
  HANDLE h = open_direct(dir.file("shared"));
  Pages buf(1, 0x44);
  sgio_segment seg{reinterpret_cast<uint64_t>(buf.get()), page_size()};
  uint64_t written = 0;
  CHECK(sgio_file_write_gather(reinterpret_cast<sgio_file*>(h), &seg, 1, 0, &written) == SGIO_OK);
  CHECK(written == page_size());
  LARGE_INTEGER size;
  CHECK(GetFileSizeEx(h, &size) == TRUE);
  CHECK(size.QuadPart == page_size());

  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags |= SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
  sgio_file* native = nullptr;
  REQUIRE(sgio_file_open(&native, dir.file("native").c_str(), &o) == SGIO_OK);
  HANDLE nh = reinterpret_cast<HANDLE>(native);
  FILE_SEGMENT_ELEMENT fse[2] = {};
  fse[0].Buffer = buf.get();
  OVERLAPPED ov{};
  CHECK_BOOL_FAILS(WriteFileGather(nh, fse, page_size(), nullptr, &ov), ERROR_INVALID_HANDLE);
  CHECK(GetFileSizeEx(nh, &size) == TRUE);  // calls that need no Win32 state accept it
  CHECK(size.QuadPart == 0);
  CHECK(CloseHandle(nh) == TRUE);           // and CloseHandle closes any handle
  CHECK(sgio_file_close(reinterpret_cast<sgio_file*>(h)) == SGIO_OK);  // either face closes either
  CHECK_BOOL_FAILS(CloseHandle(h), ERROR_INVALID_HANDLE);
}

}  // TEST_SUITE
