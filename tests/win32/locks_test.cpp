// SPDX-License-Identifier: Apache-2.0
// LockFileEx / UnlockFileEx: Windows' per-handle rules (Wine's test_LockFile sequence, which
// Windows passes), exclusion between handles and between processes, waiting locks, and the
// completion an overlapped handle reports.
#include <atomic>
#include <chrono>
#include <thread>

#include "helper_process.hpp"
#include "support.hpp"

using namespace w32_test;

namespace {

constexpr DWORD kShareRW = FILE_SHARE_READ | FILE_SHARE_WRITE;

HANDLE open_rw(const std::string& p, DWORD flags = 0) {
  HANDLE h = CreateFileA(p.c_str(), GENERIC_READ | GENERIC_WRITE, kShareRW, nullptr, OPEN_ALWAYS,
                         flags | FILE_ATTRIBUTE_NORMAL, nullptr);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  return h;
}

OVERLAPPED at(uint64_t offset) {
  OVERLAPPED ov{};
  set_offset(ov, offset);
  return ov;
}

// LockFile(h, offset, length): exclusive, fail immediately (how kernel32 builds LockFile).
BOOL lock_x(HANDLE h, uint64_t offset, uint64_t length) {
  OVERLAPPED ov = at(offset);
  return LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, static_cast<DWORD>(length),
                    static_cast<DWORD>(length >> 32), &ov);
}
BOOL lock_s(HANDLE h, uint64_t offset, uint64_t length, DWORD extra = LOCKFILE_FAIL_IMMEDIATELY) {
  OVERLAPPED ov = at(offset);
  return LockFileEx(h, extra, 0, static_cast<DWORD>(length), static_cast<DWORD>(length >> 32), &ov);
}
BOOL unlock(HANDLE h, uint64_t offset, uint64_t length) {
  OVERLAPPED ov = at(offset);
  return UnlockFileEx(h, 0, static_cast<DWORD>(length), static_cast<DWORD>(length >> 32), &ov);
}

}  // namespace

TEST_SUITE("locks") {

TEST_CASE("one handle: Wine's test_LockFile sequence") {
  ScratchDir dir;
  HANDLE h = open_rw(dir.file("f"));
  CHECK(lock_x(h, 0, 0));
  CHECK(unlock(h, 0, 0));
  CHECK_BOOL_FAILS(unlock(h, 0, 0), ERROR_NOT_LOCKED);

  CHECK(lock_x(h, 10, 20));
  CHECK_BOOL_FAILS(lock_x(h, 12, 10), ERROR_LOCK_VIOLATION);  // overlapping exclusive locks fail
  CHECK_BOOL_FAILS(lock_x(h, 5, 6), ERROR_LOCK_VIOLATION);
  CHECK(lock_x(h, 5, 5));  // adjacent is fine
  CHECK_BOOL_FAILS(unlock(h, 10, 10), ERROR_NOT_LOCKED);  // an unlock names a whole lock
  CHECK(unlock(h, 10, 20));
  CHECK_BOOL_FAILS(unlock(h, 10, 20), ERROR_NOT_LOCKED);
  CHECK(unlock(h, 5, 5));

  CHECK(lock_s(h, 100, 100, 0));
  CHECK(lock_s(h, 150, 100, 0));  // overlapping shared locks are fine
  CHECK_BOOL_FAILS(lock_x(h, 150, 50), ERROR_LOCK_VIOLATION);  // exclusive is not
  CHECK(unlock(h, 150, 100));
  CHECK_BOOL_FAILS(unlock(h, 150, 100), ERROR_NOT_LOCKED);
  CHECK(unlock(h, 100, 100));
  CHECK_BOOL_FAILS(unlock(h, 100, 100), ERROR_NOT_LOCKED);

  CHECK(lock_x(h, uint64_t{0x10000000} << 32, uint64_t{0xF0000000} << 32));  // up to 2^64
  CHECK_BOOL_FAILS(lock_x(h, ~uint64_t{0}, 1), ERROR_LOCK_VIOLATION);
  CHECK_BOOL_FAILS(lock_x(h, uint64_t{0x20000000} << 32, 20), ERROR_LOCK_VIOLATION);
  CHECK(unlock(h, uint64_t{0x10000000} << 32, uint64_t{0xF0000000} << 32));
  CHECK_BOOL_FAILS(lock_x(h, uint64_t{0x10000000} << 32, uint64_t{0xF0000001} << 32), ERROR_INVALID_LOCK_RANGE);
  CHECK(lock_x(h, ~uint64_t{0}, 1));
  CHECK(unlock(h, ~uint64_t{0}, 1));

  CHECK(lock_x(h, 100, 0));  // zero-byte lock
  CHECK_BOOL_FAILS(lock_x(h, 98, 4), ERROR_LOCK_VIOLATION);
  CHECK(lock_x(h, 90, 10));
  CHECK(lock_x(h, 100, 10));
  CHECK(unlock(h, 90, 10));
  CHECK(unlock(h, 100, 10));
  CHECK(unlock(h, 100, 0));
  CHECK(CloseHandle(h));
}

TEST_CASE("two handles: exclusive excludes, shared shares, an unlock or CloseHandle frees") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE a = open_rw(p), b = open_rw(p);
  CHECK(lock_x(a, 0, 100));
  CHECK_BOOL_FAILS(lock_s(b, 50, 10), ERROR_LOCK_VIOLATION);
  CHECK_BOOL_FAILS(lock_x(b, 99, 1), ERROR_LOCK_VIOLATION);
  CHECK(lock_x(b, 100, 10));  // right after a's range
  CHECK(unlock(a, 0, 100));
  CHECK(lock_s(b, 50, 10));
  CHECK(lock_s(a, 40, 30));  // shared with shared
  CHECK_BOOL_FAILS(lock_x(a, 55, 1), ERROR_LOCK_VIOLATION);
  // Of two overlapping shared locks of b, unlocking one keeps the bytes the other covers.
  CHECK(lock_s(b, 0, 60));
  CHECK(unlock(b, 50, 10));
  CHECK_BOOL_FAILS(lock_x(a, 55, 1), ERROR_LOCK_VIOLATION);  // still under b's [0,60)
  CHECK(unlock(a, 40, 30));
  CHECK(lock_x(a, 60, 5));  // b holds [0,60) and [100,110) only
  CHECK(CloseHandle(b));    // closing drops b's locks
  CHECK(lock_x(a, 0, 60));
  CHECK(lock_x(a, 100, 10));
  CHECK(CloseHandle(a));
}

TEST_CASE("a waiting lock waits until the other handle unlocks") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE a = open_rw(p), b = open_rw(p);
  REQUIRE(lock_x(a, 0, 4096));
  std::atomic<int> state{0};
  std::thread waiter([&] {
    OVERLAPPED ov = at(1000);
    state = LockFileEx(b, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, 0, &ov) ? 1 : 2;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(state.load() == 0);  // still waiting
  CHECK(unlock(a, 0, 4096));
  waiter.join();
  CHECK(state.load() == 1);
  CHECK_BOOL_FAILS(lock_s(a, 1005, 1), ERROR_LOCK_VIOLATION);
  CHECK(CloseHandle(b));
  CHECK(CloseHandle(a));
}

TEST_CASE("CloseHandle during a waiting lock: the wait ends with ERROR_OPERATION_ABORTED and holds nothing") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE a = open_rw(p), b = open_rw(p);
  REQUIRE(lock_x(a, 0, 10));
  std::atomic<int> result{-1};
  std::atomic<DWORD> code{0};
  std::thread waiter([&] {
    OVERLAPPED ov = at(0);
    result = LockFileEx(b, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, 0, &ov);
    code = GetLastError();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(CloseHandle(b));
  CHECK(unlock(a, 0, 10));  // now the kernel grants the waiter, which gives the lock back
  waiter.join();
  CHECK(result.load() == FALSE);
  CHECK(code.load() == ERROR_OPERATION_ABORTED);
  CHECK(lock_x(a, 0, 10));  // nothing of b's is left
  CHECK(CloseHandle(a));
}

TEST_CASE("an overlapped handle reports the grant through OVERLAPPED, hEvent and its port") {
  ScratchDir dir;
  HANDLE h = open_rw(dir.file("f"), FILE_FLAG_OVERLAPPED);
  HANDLE port = CreateIoCompletionPort(h, nullptr, 77, 0);
  REQUIRE(port != nullptr);
  HANDLE ev = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov = at(4096);
  ov.hEvent = ev;
  ov.Internal = 12345;
  CHECK(LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, 100, 0, &ov));
  CHECK(internal_of(ov) == STATUS_SUCCESS);
  CHECK(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0);
  DWORD n = 9;
  ULONG_PTR key = 0;
  LPOVERLAPPED got = nullptr;
  CHECK(GetQueuedCompletionStatus(port, &n, &key, &got, 1000));
  CHECK(got == &ov);
  CHECK(key == 77);
  CHECK(n == 0);
  DWORD tx = 5;
  CHECK(GetOverlappedResult(h, &ov, &tx, FALSE));
  CHECK(tx == 0);
  CHECK(UnlockFileEx(h, 0, 100, 0, &ov));
  CHECK(CloseHandle(ev));
  CHECK(CloseHandle(h));
  CHECK(CloseHandle(port));
}

TEST_CASE("bad arguments") {
  ScratchDir dir;
  HANDLE h = open_rw(dir.file("f"));
  OVERLAPPED ov{};
  CHECK_BOOL_FAILS(LockFileEx(h, 0, 1, 10, 0, &ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(LockFileEx(h, 0x10, 0, 10, 0, &ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(LockFileEx(h, 0, 0, 10, 0, nullptr), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(UnlockFileEx(h, 1, 10, 0, &ov), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(UnlockFileEx(h, 0, 10, 0, nullptr), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(h));
  CHECK_BOOL_FAILS(LockFileEx(h, 0, 0, 10, 0, &ov), ERROR_INVALID_HANDLE);
  CHECK_BOOL_FAILS(UnlockFileEx(h, 0, 10, 0, &ov), ERROR_INVALID_HANDLE);
}

TEST_CASE("two processes: a lock excludes the other process until it unlocks or is killed") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE h = open_rw(p);
  REQUIRE(lock_x(h, 0, 100));
  {
    Helper other("lock", p, 50, 10);
    CHECK(other.line() == "err 33");  // ERROR_LOCK_VIOLATION
  }
  {
    Helper other("lock", p, 200, 10);
    REQUIRE(other.line() == "ok");  // and it holds [200,210)
    CHECK_BOOL_FAILS(lock_s(h, 205, 1), ERROR_LOCK_VIOLATION);
    other.finish();  // unlocks by closing
  }
  CHECK(lock_s(h, 205, 1));
  CHECK(unlock(h, 205, 1));
  {
    Helper other("lock", p, 300, 10);
    REQUIRE(other.line() == "ok");
    CHECK_BOOL_FAILS(lock_x(h, 300, 1), ERROR_LOCK_VIOLATION);
    other.kill9();  // a crash releases it
  }
  CHECK(lock_x(h, 300, 1));
  CHECK(CloseHandle(h));
}

}  // TEST_SUITE
