// SPDX-License-Identifier: Apache-2.0
// Wine's conformance test test_WriteFileGather (dlls/kernel32/tests/file.c), step by step. It has
// no todo_wine lines: Windows passes every one, and so must sgio.
#include "support.hpp"

using namespace w32_test;

TEST_SUITE("wine") {

TEST_CASE("test_WriteFileGather, line by line") {
  ScratchDir dir;
  const DWORD page = page_size();
  const std::string path = dir.file("wfg.dat");

  HANDLE hfile = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                             FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED | FILE_ATTRIBUTE_NORMAL, nullptr);
  REQUIRE(hfile != INVALID_HANDLE_VALUE);
  HANDLE hiocp1 = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 999, 0);
  HANDLE hiocp2 = CreateIoCompletionPort(hfile, hiocp1, 999, 0);
  REQUIRE(hiocp1 != nullptr);
  REQUIRE(hiocp2 != nullptr);
  CHECK(hiocp2 == hiocp1);
  HANDLE evt = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  REQUIRE(evt != nullptr);

  auto* wbuf = static_cast<uint8_t*>(VirtualAlloc(nullptr, page, MEM_COMMIT, PAGE_READWRITE));
  auto* rbuf1 = static_cast<uint8_t*>(VirtualAlloc(nullptr, page, MEM_COMMIT, PAGE_READWRITE));
  auto* rbuf2 = static_cast<uint8_t*>(VirtualAlloc(nullptr, page, MEM_COMMIT, PAGE_READWRITE));
  REQUIRE(wbuf);
  REQUIRE(rbuf1);
  REQUIRE(rbuf2);

  FILE_SEGMENT_ELEMENT fse[2];
  std::memset(fse, 0, sizeof fse);
  OVERLAPPED ovl;
  OVERLAPPED* povl = nullptr;
  DWORD size = 0, tx = 0;
  ULONG_PTR key = 0;

  // 1. Write one page at 0: TRUE, or FALSE with ERROR_IO_PENDING; a packet either way.
  std::memset(wbuf, 0x42, page);
  fse[0].Buffer = wbuf;
  std::memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  BOOL br = WriteFileGather(hfile, fse, page, nullptr, &ovl);
  if (!br) CHECK(GetLastError() == ERROR_IO_PENDING);
  br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  CHECK(br == TRUE);
  CHECK(povl == &ovl);
  CHECK(key == 999);
  CHECK(size == page);
  br = GetOverlappedResult(hfile, &ovl, &tx, TRUE);
  CHECK(br == TRUE);
  CHECK(tx == page);

  // 2. Read exactly the file: must be asynchronous.
  std::memset(rbuf1, 0, page);
  fse[0].Buffer = rbuf1;
  std::memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = ReadFileScatter(hfile, fse, page, nullptr, &ovl);
  CHECK(br == FALSE);
  CHECK(GetLastError() == ERROR_IO_PENDING);
  br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  CHECK(br == TRUE);
  CHECK(povl == &ovl);
  br = GetOverlappedResult(hfile, &ovl, &tx, TRUE);
  CHECK(br == TRUE);
  CHECK(tx == page);
  CHECK(std::memcmp(rbuf1, wbuf, page) == 0);

  // 3. Start a read at end of file.
  std::memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  ovl.Offset = page;
  br = ReadFileScatter(hfile, fse, page, nullptr, &ovl);
  DWORD err = GetLastError();
  CHECK(br == FALSE);
  CHECK((err == ERROR_HANDLE_EOF || err == ERROR_IO_PENDING));
  if (err == ERROR_IO_PENDING) {
    br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
    CHECK(br == FALSE);
    CHECK(GetLastError() == ERROR_HANDLE_EOF);
    CHECK(povl == &ovl);
    br = GetOverlappedResult(hfile, &ovl, &tx, TRUE);
    CHECK(br == FALSE);
    CHECK(GetLastError() == ERROR_HANDLE_EOF);
  } else {
    br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 100);
    CHECK(br == FALSE);
    CHECK(GetLastError() == WAIT_TIMEOUT);
    CHECK(povl == nullptr);
  }

  // 4. Read past end of file: a short success, the second page untouched. fse has no NULL slot
  // left: the terminator is not read once the byte count is covered.
  std::memset(rbuf1, 0, page);
  std::memset(rbuf2, 0x17, page);
  fse[0].Buffer = rbuf1;
  fse[1].Buffer = rbuf2;
  std::memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = ReadFileScatter(hfile, fse, page * 2, nullptr, &ovl);
  CHECK(br == FALSE);
  CHECK(GetLastError() == ERROR_IO_PENDING);
  br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  CHECK(br == TRUE);
  CHECK(povl == &ovl);
  br = GetOverlappedResult(hfile, &ovl, &tx, TRUE);
  CHECK(br == TRUE);
  CHECK(tx == page);
  CHECK(std::memcmp(rbuf1, wbuf, page) == 0);
  for (DWORD i = 0; i < page; ++i) {
    if (rbuf2[i] != 0x17) {
      FAIL("rbuf2 was written at byte " << i);
      break;
    }
  }

  // 5. Half a page: a sector multiple, legal; the rest of the page untouched.
  std::memset(rbuf1, 0, page);
  fse[0].Buffer = rbuf1;
  fse[1].Buffer = nullptr;
  std::memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = ReadFileScatter(hfile, fse, page / 2, nullptr, &ovl);
  CHECK(br == FALSE);
  CHECK(GetLastError() == ERROR_IO_PENDING);
  br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  CHECK(br == TRUE);
  CHECK(povl == &ovl);
  br = GetOverlappedResult(hfile, &ovl, &tx, TRUE);
  CHECK(br == TRUE);
  CHECK(tx == page / 2);
  CHECK(std::memcmp(rbuf1, wbuf, page / 2) == 0);
  for (DWORD i = page / 2; i < page; ++i) {
    if (rbuf1[i] != 0) {
      FAIL("rbuf1 was written beyond the request at byte " << i);
      break;
    }
  }

  // 6. FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a scatter is still pending and still posts.
  br = SetFileCompletionNotificationModes(hfile, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
  CHECK(br == TRUE);
  std::memset(&ovl, 0, sizeof ovl);
  ovl.hEvent = evt;
  br = ReadFileScatter(hfile, fse, page, nullptr, &ovl);
  CHECK(br == FALSE);
  CHECK(GetLastError() == ERROR_IO_PENDING);
  br = GetQueuedCompletionStatus(hiocp2, &size, &key, &povl, 1000);
  CHECK(br == TRUE);
  CHECK(povl == &ovl);
  br = GetOverlappedResult(hfile, &ovl, &tx, TRUE);
  CHECK(br == TRUE);
  CHECK(tx == page);

  CHECK(CloseHandle(hfile));

  // 7. The handle must be overlapped.
  hfile = CreateFileA(path.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, FILE_FLAG_NO_BUFFERING, nullptr);
  REQUIRE(hfile != INVALID_HANDLE_VALUE);
  std::memset(&ovl, 0, sizeof ovl);
  br = ReadFileScatter(hfile, fse, page, nullptr, &ovl);
  CHECK(br == FALSE);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);

  CHECK(CloseHandle(hfile));
  CHECK(CloseHandle(evt));
  CHECK(CloseHandle(hiocp1));
  CHECK(VirtualFree(wbuf, 0, MEM_RELEASE));
  CHECK(VirtualFree(rbuf1, 0, MEM_RELEASE));
  CHECK(VirtualFree(rbuf2, 0, MEM_RELEASE));
}

}  // TEST_SUITE
