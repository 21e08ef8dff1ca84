// SPDX-License-Identifier: Apache-2.0
// Requests in flight: CloseHandle cancels and waits (the ASan build proves that no completion
// writes into memory freed right after CloseHandle returns), and 32 requests in flight do not
// cost a thread each.
#include <dirent.h>

#include <memory>
#include <thread>

#include "support.hpp"

using namespace w32_test;

namespace {

size_t thread_count() {
  size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

constexpr int kOps = 32;
constexpr DWORD kPagesPerOp = 16;  // 64 KiB with 4 KiB pages

// Everything one batch of gathers needs, on the heap so that ASan sees any late write.
struct Batch {
  std::unique_ptr<Pages> pages;
  std::vector<FILE_SEGMENT_ELEMENT>* fse;
  OVERLAPPED* ov;
  Batch() : pages(new Pages(kOps * kPagesPerOp, 0x3C)), fse(new std::vector<FILE_SEGMENT_ELEMENT>(kOps * (kPagesPerOp + 1))),
            ov(new OVERLAPPED[kOps]) {
    for (int i = 0; i < kOps; ++i)
      for (DWORD p = 0; p <= kPagesPerOp; ++p)
        (*fse)[i * (kPagesPerOp + 1) + p].Buffer = p < kPagesPerOp ? pages->page(i * kPagesPerOp + p) : nullptr;
  }
  void free_all() {
    delete fse;
    delete[] ov;
    pages.reset();
  }
  // Starts all gathers; returns how many reported pending.
  int start(HANDLE f, HANDLE event) {
    int pending = 0;
    for (int i = 0; i < kOps; ++i) {
      std::memset(&ov[i], 0, sizeof ov[i]);
      set_offset(ov[i], static_cast<uint64_t>(i) * kPagesPerOp * page_size());
      ov[i].hEvent = event;
      BOOL r = WriteFileGather(f, &(*fse)[i * (kPagesPerOp + 1)], kPagesPerOp * page_size(), nullptr, &ov[i]);
      if (!r) {
        REQUIRE(GetLastError() == ERROR_IO_PENDING);
        ++pending;
      }
    }
    return pending;
  }
};

}  // namespace

TEST_SUITE("inflight") {

TEST_CASE("CloseHandle with gathers in flight: every request ends before it returns") {
  ScratchDir dir;
  for (int round = 0; round < 4; ++round) {
    // Appended, not "c" + std::to_string(round): GCC 12 at -O3 reports a false -Wrestrict inside
    // operator+(const char*, std::string&&) (GCC bug 105329), which breaks -Werror Release builds.
    std::string name = "c";
    name += std::to_string(round);
    HANDLE f = open_direct(dir.file(name));
    HANDLE port = CreateIoCompletionPort(f, nullptr, 1, 0);
    HANDLE ev = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    Batch b;
    b.start(f, round % 2 ? ev : nullptr);
    CHECK(CloseHandle(f) == TRUE);
    // Every OVERLAPPED holds its final status now: done, or cancelled.
    int aborted = 0;
    for (int i = 0; i < kOps; ++i) {
      uintptr_t st = internal_of(b.ov[i]);
      CHECK((st == STATUS_SUCCESS || st == STATUS_CANCELLED));
      if (st == STATUS_SUCCESS) CHECK(internal_high_of(b.ov[i]) == kPagesPerOp * page_size());
      aborted += st == STATUS_CANCELLED;
    }
    MESSAGE("round " << round << ": " << aborted << " of " << kOps << " cancelled by CloseHandle");
    b.free_all();  // nothing may write into these any more
    // The packets are still there, naming the (now freed) OVERLAPPEDs by address only.
    int packets = 0;
    for (;;) {
      DWORD n;
      ULONG_PTR key;
      OVERLAPPED* got = nullptr;
      GetQueuedCompletionStatus(port, &n, &key, &got, 0);
      if (!got) break;
      ++packets;
    }
    CHECK(packets == kOps);
    CHECK(CloseHandle(port));
    CHECK(CloseHandle(ev));
  }
}

TEST_CASE("CloseHandle on another thread while this one waits in GetOverlappedResult") {
  ScratchDir dir;
  HANDLE f = open_direct(dir.file("w"));
  Batch b;
  b.start(f, nullptr);
  std::thread closer([&] { CHECK(CloseHandle(f) == TRUE); });
  for (int i = 0; i < kOps; ++i) {
    DWORD tx = 0;
    BOOL r = GetOverlappedResult(f, &b.ov[i], &tx, TRUE);
    // Before the close: the result; after it: the handle is gone.
    if (!r) {
      DWORD e = GetLastError();
      CHECK((e == ERROR_INVALID_HANDLE || e == ERROR_OPERATION_ABORTED));
    }
  }
  closer.join();
  for (int i = 0; i < kOps; ++i) CHECK(internal_of(b.ov[i]) != STATUS_PENDING);
  b.free_all();
}

TEST_CASE("32 overlapped 64 KiB gathers in flight do not create a thread per request") {
  ScratchDir dir;
  HANDLE f = open_direct(dir.file("t"));
  // Preallocate so the direct writes do not extend the file (extending writes may be punted).
  Batch warm;
  warm.start(f, nullptr);
  for (int i = 0; i < kOps; ++i) {
    DWORD tx;
    REQUIRE(GetOverlappedResult(f, &warm.ov[i], &tx, TRUE));
  }
  const size_t before = thread_count();
  size_t peak = before;
  Batch b;
  for (int round = 0; round < 4; ++round) {
    b.start(f, nullptr);
    peak = std::max(peak, thread_count());
    for (int i = 0; i < kOps; ++i) {
      DWORD tx;
      CHECK(GetOverlappedResult(f, &b.ov[i], &tx, TRUE) == TRUE);
      CHECK(tx == kPagesPerOp * page_size());
    }
    peak = std::max(peak, thread_count());
  }
  MESSAGE("backend " << backend_env() << ": threads before " << before << ", peak " << peak);
  // The pool backend runs at most 4 workers; io_uring none per request. A thread per request
  // would add 32.
  CHECK(peak - before <= 8);
  CHECK(CloseHandle(f));
  warm.free_all();
  b.free_all();
}

}  // TEST_SUITE
