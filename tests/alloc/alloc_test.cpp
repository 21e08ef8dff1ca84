// SPDX-License-Identifier: Apache-2.0
// No heap allocation per request once warm, on both faces and every backend: 10 000 requests
// through sgio_queue, through overlapped WriteFileGather/ReadFileScatter + GetOverlappedResult,
// and through a completion port, after a warm-up, with operator new counted (alloc_counter.cpp).
// Then the same with every allocation refused: each request must still start and complete (so
// nothing on the completion path can throw: the port's post, the pool's workers, the records).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <sgio/sgio.h>
#include <sgio/sgio_win32.h>

#include <cstring>
#include <string>
#include <vector>

#include "../common/scratch.hpp"
#include "alloc_counter.hpp"

using sgio_test_common::ScratchDir;

namespace {

constexpr int kRequests = 10000;
constexpr uint64_t kPage = 4096;
constexpr int kSegs = 16;     // 16 x 4 KiB gathers, as in the measurements
constexpr int kSlots = 32;    // QD32
constexpr uint64_t kSpan = 64 * 1024;

uint32_t backend_from_env() {
  const char* v = std::getenv("SGIO_BACKEND");
  std::string s = v ? v : "";
  if (s == "pool") return SGIO_BACKEND_POOL;
  if (s == "sync") return SGIO_BACKEND_SYNC;
  if (s == "uring") return SGIO_BACKEND_URING;
  return SGIO_BACKEND_AUTO;
}

struct Pages {
  uint8_t* p;
  explicit Pages(size_t n) {
    p = static_cast<uint8_t*>(VirtualAlloc(nullptr, n * kPage, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
    REQUIRE(p != nullptr);
    std::memset(p, 0x5a, n * kPage);
  }
  ~Pages() { VirtualFree(p, 0, MEM_RELEASE); }
};

// Runs `n` requests through a queue at QD32: 16 x 4 KiB gathers into a direct file, reads back
// every other batch. `segs` holds kSlots arrays of kSegs pages, one per slot.
void queue_rounds(sgio_queue* q, sgio_file* f, const std::vector<sgio_segment>& segs, int n) {
  sgio_request reqs[kSlots];
  sgio_completion done[kSlots];
  int issued = 0;
  while (issued < n) {
    const int batch = std::min(kSlots, n - issued);
    for (int i = 0; i < batch; ++i) {
      reqs[i] = sgio_request{};
      reqs[i].file = f;
      reqs[i].segments = reinterpret_cast<uintptr_t>(segs.data() + i * kSegs);  // reads in flight never share a page
      reqs[i].count = kSegs;
      reqs[i].op = (issued / kSlots) % 2 ? SGIO_OP_READ_SCATTER : SGIO_OP_WRITE_GATHER;
      reqs[i].offset = static_cast<uint64_t>(i) * kSpan;
      reqs[i].user_data = static_cast<uint64_t>(issued + i);
    }
    uint32_t submitted = 0;
    REQUIRE(sgio_queue_submit(q, reqs, static_cast<uint32_t>(batch), &submitted) == SGIO_OK);
    uint32_t got = 0;
    while (got < submitted) {
      uint32_t k = 0;
      REQUIRE(sgio_queue_wait(q, done, kSlots, 1, UINT32_MAX, &k) == SGIO_OK);
      for (uint32_t j = 0; j < k; ++j) {
        REQUIRE(done[j].status == SGIO_OK);
        REQUIRE(done[j].bytes == kSegs * kPage);
      }
      got += k;
    }
    // QD1 as well: submit one, wait for it.
    uint32_t one = 0;
    REQUIRE(sgio_queue_submit(q, reqs, 1, &one) == SGIO_OK);
    uint32_t k = 0;
    REQUIRE(sgio_queue_wait(q, done, 1, 1, UINT32_MAX, &k) == SGIO_OK);
    REQUIRE(k == 1);
    issued += batch + 1;
  }
}

// QD1 overlapped gathers/scatters with an event and GetOverlappedResult(bWait=TRUE).
void overlapped_rounds(HANDLE h, HANDLE ev, FILE_SEGMENT_ELEMENT* fse, int n) {
  for (int i = 0; i < n; ++i) {
    OVERLAPPED ov{};
    ov.Offset = static_cast<DWORD>(((i / 2) % 64) * kSpan);  // a read follows the write it reads
    ov.hEvent = ev;
    const bool write = i % 2 == 0;
    BOOL ok = write ? WriteFileGather(h, fse, kSegs * kPage, nullptr, &ov)
                    : ReadFileScatter(h, fse, kSegs * kPage, nullptr, &ov);
    REQUIRE((ok || GetLastError() == ERROR_IO_PENDING));
    DWORD moved = 0;
    REQUIRE(GetOverlappedResult(h, &ov, &moved, TRUE));
    REQUIRE(moved == kSegs * kPage);
  }
}

// QD32 through a completion port, refilled from GetQueuedCompletionStatus.
void port_rounds(HANDLE h, HANDLE port, FILE_SEGMENT_ELEMENT* fse, int n) {
  OVERLAPPED ov[kSlots] = {};
  int issued = 0, finished = 0;
  auto start = [&](int slot) {
    ov[slot] = OVERLAPPED{};
    ov[slot].Offset = static_cast<DWORD>(slot * kSpan);
    BOOL ok = WriteFileGather(h, fse, kSegs * kPage, nullptr, &ov[slot]);
    REQUIRE((ok || GetLastError() == ERROR_IO_PENDING));
    ++issued;
  };
  for (int s = 0; s < kSlots && issued < n; ++s) start(s);
  while (finished < issued) {
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = nullptr;
    REQUIRE(GetQueuedCompletionStatus(port, &bytes, &key, &got, INFINITE));
    REQUIRE(bytes == kSegs * kPage);
    ++finished;
    if (issued < n) start(static_cast<int>(got - ov));
  }
}

struct Win32Files {
  ScratchDir dir;
  Pages buf{2 * kSegs};
  FILE_SEGMENT_ELEMENT fse[kSegs + 1] = {};
  HANDLE h;
  HANDLE ev = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  Win32Files() {
    REQUIRE(ev != nullptr);
    h = CreateFileA(dir.file("w.bin").c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                    FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, nullptr);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    for (int i = 0; i < kSegs; ++i) fse[i].Buffer = buf.p + (2 * i) * kPage;  // shuffled-ish: every other page
  }
  ~Win32Files() {
    CloseHandle(h);
    CloseHandle(ev);
  }
};

}  // namespace

TEST_SUITE("alloc") {

TEST_CASE("sgio_queue: no allocation per request after warm-up, and none needed") {
  ScratchDir dir;
  sgio_file* f = nullptr;
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
  REQUIRE(sgio_file_open(&f, dir.file("q.bin").c_str(), &o) == SGIO_OK);
  sgio_queue_options qo;
  REQUIRE(sgio_queue_options_init(&qo, SGIO_QUEUE_OPTIONS_VERSION) == SGIO_OK);
  qo.backend = backend_from_env();
  qo.depth = 64;
  sgio_queue* q = nullptr;
  REQUIRE(sgio_queue_create(&q, &qo) == SGIO_OK);
  Pages buf(kSlots * kSegs);
  std::vector<sgio_segment> segs(kSlots * kSegs);
  for (int i = 0; i < kSlots * kSegs; ++i) segs[i] = {reinterpret_cast<uintptr_t>(buf.p + i * kPage), kPage};

  queue_rounds(q, f, segs, 2000);  // warm-up: records, iovecs, worker threads
  const uint64_t before = alloc_test::allocations.load();
  queue_rounds(q, f, segs, kRequests);
  const uint64_t during = alloc_test::allocations.load() - before;
  CHECK(during == 0);

  alloc_test::refuse = true;
  queue_rounds(q, f, segs, 1000);
  alloc_test::refuse = false;

  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("overlapped WriteFileGather/ReadFileScatter + GetOverlappedResult: no allocation per request") {
  Win32Files w;
  overlapped_rounds(w.h, w.ev, w.fse, 2000);
  const uint64_t before = alloc_test::allocations.load();
  overlapped_rounds(w.h, w.ev, w.fse, kRequests);
  CHECK(alloc_test::allocations.load() - before == 0);
  alloc_test::refuse = true;
  overlapped_rounds(w.h, w.ev, w.fse, 1000);
  alloc_test::refuse = false;
}

TEST_CASE("a completion port at QD32: no allocation per request, and posting cannot fail") {
  Win32Files w;
  HANDLE port = CreateIoCompletionPort(w.h, nullptr, 7, 0);
  REQUIRE(port != nullptr);
  port_rounds(w.h, port, w.fse, 2000);
  const uint64_t before = alloc_test::allocations.load();
  port_rounds(w.h, port, w.fse, kRequests);
  CHECK(alloc_test::allocations.load() - before == 0);
  alloc_test::refuse = true;
  port_rounds(w.h, port, w.fse, 1000);
  alloc_test::refuse = false;
  CloseHandle(port);
}

}  // TEST_SUITE
