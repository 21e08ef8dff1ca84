// SPDX-License-Identifier: Apache-2.0
// ReadFileEx / WriteFileEx + SleepEx: completion routines run on the starting thread, only inside
// an alertable wait, which then returns WAIT_IO_COMPLETION.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace w32_test;

namespace {

struct Call {
  DWORD code;
  DWORD bytes;
  LPOVERLAPPED ov;
  std::thread::id thread;
};
std::vector<Call> g_calls;  // the routine records here (it runs on the test's thread)

void WINAPI_routine(DWORD code, DWORD bytes, LPOVERLAPPED ov) {
  g_calls.push_back(Call{code, bytes, ov, std::this_thread::get_id()});
}

// Waits (without being alertable) until the request has ended, so a routine is surely queued.
void wait_ended(const OVERLAPPED& ov) {
  for (int i = 0; i < 5000 && internal_of(ov) == STATUS_PENDING; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(internal_of(ov) != STATUS_PENDING);
}

}  // namespace

TEST_SUITE("apc") {

TEST_CASE("the routine waits for an alertable wait on the starting thread, which returns WAIT_IO_COMPLETION") {
  ScratchDir dir;
  HANDLE h = open_direct(dir.file("f"));
  const DWORD page = page_size();
  Pages buf(4, 0x5A);
  g_calls.clear();
  OVERLAPPED ov[3] = {};
  for (int i = 0; i < 3; ++i) {
    set_offset(ov[i], uint64_t{page} * i);
    SetLastError(77);
    REQUIRE(WriteFileEx(h, buf.page(i), page, &ov[i], WINAPI_routine));
    CHECK_LAST_ERROR(ERROR_SUCCESS);
  }
  for (auto& o : ov) wait_ended(o);
  CHECK(SleepEx(20, FALSE) == 0);  // not alertable: nothing runs
  CHECK(g_calls.empty());
  CHECK(SleepEx(0, TRUE) == WAIT_IO_COMPLETION);
  REQUIRE(g_calls.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(g_calls[i].code == ERROR_SUCCESS);
    CHECK(g_calls[i].bytes == page);
    CHECK(g_calls[i].thread == std::this_thread::get_id());
  }
  CHECK(SleepEx(0, TRUE) == 0);  // nothing left

  // Read back through ReadFileEx; SleepEx(INFINITE, TRUE) returns once the routine ran.
  Pages back(1, 0);
  g_calls.clear();
  OVERLAPPED r{};
  set_offset(r, page);
  REQUIRE(ReadFileEx(h, back.get(), page, &r, WINAPI_routine));
  while (g_calls.empty()) CHECK(SleepEx(INFINITE, TRUE) == WAIT_IO_COMPLETION);
  CHECK(g_calls[0].ov == &r);
  CHECK(g_calls[0].bytes == page);
  CHECK(internal_high_of(r) == page);
  CHECK(std::memcmp(back.get(), buf.page(1), page) == 0);
  CHECK(CloseHandle(h));
}

TEST_CASE("end of file: at EOF the call fails, across EOF the routine gets the short count") {
  ScratchDir dir;
  HANDLE h = open_direct(dir.file("f"));
  const DWORD page = page_size();
  Pages buf(2, 0x33);
  g_calls.clear();
  OVERLAPPED w{};
  REQUIRE(WriteFileEx(h, buf.get(), page, &w, WINAPI_routine));
  while (g_calls.empty()) SleepEx(INFINITE, TRUE);
  g_calls.clear();
  OVERLAPPED r{};
  set_offset(r, page);
  CHECK_BOOL_FAILS(ReadFileEx(h, buf.get(), page, &r, WINAPI_routine), ERROR_HANDLE_EOF);
  CHECK(SleepEx(30, TRUE) == 0);  // nothing was queued
  CHECK(g_calls.empty());
  set_offset(r, 0);
  REQUIRE(ReadFileEx(h, buf.get(), 2 * page, &r, WINAPI_routine));
  while (g_calls.empty()) SleepEx(INFINITE, TRUE);
  CHECK(g_calls[0].code == ERROR_SUCCESS);
  CHECK(g_calls[0].bytes == page);
  CHECK(CloseHandle(h));
}

TEST_CASE("another thread's routines run in that thread's alertable wait, not in ours") {
  ScratchDir dir;
  HANDLE h = open_direct(dir.file("f"));
  const DWORD page = page_size();
  Pages buf(1, 0x44);
  g_calls.clear();
  std::atomic<bool> started{false}, ran{false};
  std::atomic<std::thread::id> ran_on{};
  OVERLAPPED ov{};
  std::thread other([&] {
    static std::atomic<bool>* flag;
    static std::atomic<std::thread::id>* who;
    flag = &ran;
    who = &ran_on;
    REQUIRE(WriteFileEx(h, buf.get(), page, &ov, [](DWORD, DWORD, LPOVERLAPPED) {
      *who = std::this_thread::get_id();
      *flag = true;
    }));
    started = true;
    while (!ran) SleepEx(INFINITE, TRUE);
  });
  while (!started) std::this_thread::yield();
  wait_ended(ov);
  CHECK(SleepEx(50, TRUE) == 0);  // not ours
  other.join();
  CHECK(ran.load());
  CHECK(ran_on.load() != std::this_thread::get_id());
  CHECK(CloseHandle(h));
}

TEST_CASE("a routine that starts the next write: the classic chained pattern") {
  ScratchDir dir;
  static HANDLE h;
  h = open_direct(dir.file("f"));
  static DWORD page;
  page = page_size();
  static Pages* buf;
  Pages pages(8, 0x21);
  buf = &pages;
  static int next;
  next = 0;
  static OVERLAPPED ov;
  ov = OVERLAPPED{};
  static LPOVERLAPPED_COMPLETION_ROUTINE chain;
  chain = [](DWORD code, DWORD bytes, LPOVERLAPPED) {
    REQUIRE(code == ERROR_SUCCESS);
    REQUIRE(bytes == page);
    if (++next == 8) return;
    ov = OVERLAPPED{};
    set_offset(ov, uint64_t{page} * next);
    REQUIRE(WriteFileEx(h, buf->page(next), page, &ov, chain));
  };
  REQUIRE(WriteFileEx(h, buf->page(0), page, &ov, chain));
  int waits = 0;
  while (next < 8 && waits < 1000) {
    CHECK(SleepEx(INFINITE, TRUE) == WAIT_IO_COMPLETION);
    ++waits;
  }
  CHECK(next == 8);
  LARGE_INTEGER size;
  REQUIRE(GetFileSizeEx(h, &size));
  CHECK(size.QuadPart == 8 * static_cast<LONGLONG>(page));
  CHECK(CloseHandle(h));
}

TEST_CASE("bad arguments: synchronous or port-bound handle, no routine, wrong access, bad handle") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  const DWORD page = page_size();
  Pages buf(1, 0);
  OVERLAPPED ov{};
  HANDLE sync = CreateFileA(p.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                            CREATE_ALWAYS, 0, nullptr);
  REQUIRE(sync != INVALID_HANDLE_VALUE);
  CHECK_BOOL_FAILS(WriteFileEx(sync, buf.get(), page, &ov, WINAPI_routine), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(sync));
  HANDLE h = open_direct(p, GENERIC_READ | GENERIC_WRITE, OPEN_EXISTING);
  CHECK_BOOL_FAILS(WriteFileEx(h, buf.get(), page, &ov, nullptr), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(WriteFileEx(h, buf.get(), page, nullptr, WINAPI_routine), ERROR_INVALID_PARAMETER);
  HANDLE port = CreateIoCompletionPort(h, nullptr, 1, 0);
  REQUIRE(port != nullptr);
  CHECK_BOOL_FAILS(ReadFileEx(h, buf.get(), page, &ov, WINAPI_routine), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(h));
  CHECK(CloseHandle(port));
  HANDLE ro = open_direct(p, GENERIC_READ, OPEN_EXISTING);
  CHECK_BOOL_FAILS(WriteFileEx(ro, buf.get(), page, &ov, WINAPI_routine), ERROR_ACCESS_DENIED);
  CHECK(CloseHandle(ro));
  CHECK_BOOL_FAILS(ReadFileEx(ro, buf.get(), page, &ov, WINAPI_routine), ERROR_INVALID_HANDLE);
  CHECK(SleepEx(0, TRUE) == 0);
}

TEST_CASE("SleepEx times out: alertable with nothing queued, and not alertable") {
  auto t0 = std::chrono::steady_clock::now();
  CHECK(SleepEx(40, TRUE) == 0);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(40));
  t0 = std::chrono::steady_clock::now();
  CHECK(SleepEx(20, FALSE) == 0);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(20));
}

}  // TEST_SUITE
