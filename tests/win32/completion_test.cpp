// SPDX-License-Identifier: Apache-2.0
// Completion ports, events and waits.
#include <atomic>
#include <chrono>
#include <thread>

#include "support.hpp"

using namespace w32_test;

TEST_SUITE("completion") {

TEST_CASE("PostQueuedCompletionStatus / GetQueuedCompletionStatus carry bytes, key and OVERLAPPED") {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  REQUIRE(port != nullptr);
  OVERLAPPED ov{};
  CHECK(PostQueuedCompletionStatus(port, 42, 0xABCD, &ov) == TRUE);
  CHECK(PostQueuedCompletionStatus(port, 7, 1, nullptr) == TRUE);
  DWORD n = 0;
  ULONG_PTR key = 0;
  OVERLAPPED* got = nullptr;
  CHECK(GetQueuedCompletionStatus(port, &n, &key, &got, 0) == TRUE);
  CHECK(n == 42);
  CHECK(key == 0xABCD);
  CHECK(got == &ov);
  CHECK(GetQueuedCompletionStatus(port, &n, &key, &got, 0) == TRUE);  // FIFO
  CHECK(n == 7);
  CHECK(got == nullptr);
  got = &ov;
  CHECK_BOOL_FAILS(GetQueuedCompletionStatus(port, &n, &key, &got, 0), WAIT_TIMEOUT);
  CHECK(got == nullptr);
  got = &ov;
  CHECK_BOOL_FAILS(GetQueuedCompletionStatus(port, &n, &key, &got, 30), WAIT_TIMEOUT);
  CHECK(got == nullptr);
  CHECK(CloseHandle(port));
}

TEST_CASE("GetQueuedCompletionStatusEx dequeues several packets") {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  for (DWORD i = 0; i < 5; ++i) REQUIRE(PostQueuedCompletionStatus(port, i, 100 + i, nullptr));
  OVERLAPPED_ENTRY e[8];
  ULONG got = 0;
  CHECK(GetQueuedCompletionStatusEx(port, e, 3, &got, 0, FALSE) == TRUE);
  CHECK(got == 3);
  CHECK(e[0].lpCompletionKey == 100);
  CHECK(e[2].dwNumberOfBytesTransferred == 2);
  CHECK(e[1].Internal == STATUS_SUCCESS);
  CHECK(GetQueuedCompletionStatusEx(port, e, 8, &got, 0, FALSE) == TRUE);
  CHECK(got == 2);
  got = 99;
  CHECK_BOOL_FAILS(GetQueuedCompletionStatusEx(port, e, 8, &got, 0, FALSE), WAIT_TIMEOUT);
  CHECK(got == 0);
  CHECK_BOOL_FAILS(GetQueuedCompletionStatusEx(port, e, 0, &got, 0, FALSE), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(port));
}

TEST_CASE("closing the port while a thread waits: ERROR_ABANDONED_WAIT_0") {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  std::atomic<bool> waiting{false};
  BOOL r = TRUE;
  DWORD err = 0;
  OVERLAPPED* got = reinterpret_cast<OVERLAPPED*>(1);
  std::thread t([&] {
    DWORD n;
    ULONG_PTR key;
    waiting = true;
    r = GetQueuedCompletionStatus(port, &n, &key, &got, 60000);
    err = GetLastError();
  });
  while (!waiting) std::this_thread::yield();
  CHECK(CloseHandle(port));
  t.join();
  CHECK(r == FALSE);
  // The closing may also win the race before the wait begins: then the handle is simply gone.
  CHECK((err == ERROR_ABANDONED_WAIT_0 || err == ERROR_INVALID_HANDLE));
  CHECK(got == nullptr);
}

TEST_CASE("a thread already blocked on the port gets the packet of a request that never reached the ring") {
  // A read at end of file (and a zero-byte write) completes inside the call without the backend.
  // The waiter may be leading the engine's kernel wait by then; it must still wake.
  ScratchDir dir;
  HANDLE f = open_direct(dir.file("eof"));
  REQUIRE(f != INVALID_HANDLE_VALUE);
  HANDLE port = CreateIoCompletionPort(f, nullptr, 77, 0);
  REQUIRE(port != nullptr);
  Pages pages(1);
  FILE_SEGMENT_ELEMENT segs[2] = {};
  segs[0].Buffer = pages.get();
  for (int round = 0; round < 20; ++round) {
    std::atomic<bool> waiting{false};
    BOOL r = FALSE;
    OVERLAPPED* got = nullptr;
    std::thread t([&] {
      DWORD n;
      ULONG_PTR key;
      waiting = true;
      r = GetQueuedCompletionStatus(port, &n, &key, &got, 20000);  // a lost wake-up hangs 20 s, then fails
    });
    while (!waiting) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 4 == 0 ? 0 : 5));  // usually inside the wait
    OVERLAPPED ov{};
    set_offset(ov, 16 * page_size());
    const BOOL started = ReadFileScatter(f, segs, static_cast<DWORD>(page_size()), nullptr, &ov);
    const DWORD err = GetLastError();
    t.join();
    CHECK(started == FALSE);
    CHECK(err == ERROR_IO_PENDING);
    CHECK(r == FALSE);  // the packet of a failed request: FALSE with the OVERLAPPED
    CHECK(got == &ov);
  }
  CHECK(CloseHandle(f));
  CHECK(CloseHandle(port));
}

TEST_CASE("CreateIoCompletionPort: new port, bind, and its errors") {
  ScratchDir dir;
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 5, 0);
  REQUIRE(port != nullptr);
  HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 5, 0);
  CHECK(CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 5, 0) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  HANDLE sync = CreateFileA(dir.file("s").c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
  CHECK(CreateIoCompletionPort(sync, port, 5, 0) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  HANDLE f = open_direct(dir.file("a"));
  CHECK(CreateIoCompletionPort(f, port, 5, 0) == port);
  CHECK(CreateIoCompletionPort(f, other, 5, 0) == nullptr);  // one port per handle
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  CHECK(CreateIoCompletionPort(reinterpret_cast<HANDLE>(uintptr_t{0x7770}), port, 5, 0) == nullptr);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(CreateIoCompletionPort(f, f, 5, 0) == nullptr);  // a file where the port should be
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);  // STATUS_OBJECT_TYPE_MISMATCH
  // File + NULL: a new port, bound.
  HANDLE g = open_direct(dir.file("b"));
  HANDLE fresh = CreateIoCompletionPort(g, nullptr, 9, 0);
  REQUIRE(fresh != nullptr);
  CHECK(fresh != port);
  OVERLAPPED ov{};
  CHECK(WriteFileGather(g, nullptr, 0, nullptr, &ov) == TRUE);
  DWORD n;
  ULONG_PTR key = 0;
  OVERLAPPED* got = nullptr;
  CHECK(GetQueuedCompletionStatus(fresh, &n, &key, &got, 10000) == TRUE);
  CHECK(key == 9);
  CHECK(got == &ov);
  CHECK_BOOL_FAILS(SetFileCompletionNotificationModes(g, 0x80), ERROR_INVALID_PARAMETER);
  for (HANDLE h : {f, g, sync, port, other, fresh}) CHECK(CloseHandle(h));
}

TEST_CASE("events: manual and auto reset, timeouts, wrong handles") {
  HANDLE manual = CreateEventW(nullptr, TRUE, TRUE, nullptr);
  HANDLE automatic = CreateEventW(nullptr, FALSE, FALSE, reinterpret_cast<LPCWSTR>(u"named events are private"));
  REQUIRE(manual != nullptr);
  REQUIRE(automatic != nullptr);
  CHECK(WaitForSingleObject(manual, 0) == WAIT_OBJECT_0);
  CHECK(WaitForSingleObject(manual, 0) == WAIT_OBJECT_0);  // stays set
  CHECK(ResetEvent(manual) == TRUE);
  CHECK(WaitForSingleObject(manual, 20) == WAIT_TIMEOUT);
  CHECK(WaitForSingleObject(automatic, 0) == WAIT_TIMEOUT);
  CHECK(SetEvent(automatic) == TRUE);
  CHECK(WaitForSingleObject(automatic, 0) == WAIT_OBJECT_0);
  CHECK(WaitForSingleObject(automatic, 0) == WAIT_TIMEOUT);  // consumed
  std::thread t([&] { SetEvent(manual); });
  CHECK(WaitForSingleObject(manual, INFINITE) == WAIT_OBJECT_0);
  t.join();
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  CHECK_BOOL_FAILS(SetEvent(port), ERROR_INVALID_HANDLE);
  CHECK_BOOL_FAILS(ResetEvent(INVALID_HANDLE_VALUE), ERROR_INVALID_HANDLE);
  CHECK(WaitForSingleObject(port, 0) == WAIT_FAILED);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(CloseHandle(manual));
  CHECK(WaitForSingleObject(manual, 0) == WAIT_FAILED);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(CloseHandle(automatic));
  CHECK(CloseHandle(port));
}

TEST_CASE("GetOverlappedResult with hEvent NULL waits on the request; a failed request's packet") {
  ScratchDir dir;
  const DWORD page = page_size();
  HANDLE f = open_direct(dir.file("x"));
  HANDLE port = CreateIoCompletionPort(f, nullptr, 3, 0);
  Pages buf(1, 0x21);
  FILE_SEGMENT_ELEMENT fse[2] = {};
  fse[0].Buffer = buf.get();
  OVERLAPPED ov{};
  CHECK_BOOL_FAILS(ReadFileScatter(f, fse, page, nullptr, &ov), ERROR_IO_PENDING);  // empty file: EOF
  DWORD tx = 5;
  CHECK_BOOL_FAILS(GetOverlappedResult(f, &ov, &tx, TRUE), ERROR_HANDLE_EOF);
  CHECK(tx == 0);
  DWORD n = 5;
  ULONG_PTR key = 0;
  OVERLAPPED* got = nullptr;
  CHECK_BOOL_FAILS(GetQueuedCompletionStatus(port, &n, &key, &got, 10000), ERROR_HANDLE_EOF);
  CHECK(got == &ov);
  CHECK(key == 3);
  CHECK(n == 0);
  // GetOverlappedResultEx on a finished request returns at once, whatever the timeout.
  CHECK_BOOL_FAILS(GetOverlappedResultEx(f, &ov, &tx, 0, FALSE), ERROR_HANDLE_EOF);
  // An OVERLAPPED that claims to be pending but belongs to nothing in flight: no hang.
  OVERLAPPED stray{};
  stray.Internal = STATUS_PENDING;
  stray.InternalHigh = 3;
  tx = 0;
  CHECK_BOOL_FAILS(GetOverlappedResult(f, &stray, &tx, FALSE), ERROR_IO_INCOMPLETE);
  CHECK(tx == 3);  // written even on failure
  CHECK_BOOL_FAILS(GetOverlappedResult(f, &stray, &tx, TRUE), ERROR_IO_INCOMPLETE);
  CHECK_BOOL_FAILS(GetOverlappedResult(f, nullptr, &tx, TRUE), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(f));
  CHECK(CloseHandle(port));
}

}  // TEST_SUITE
