// SPDX-License-Identifier: Apache-2.0
// The native face over Windows HANDLEs: sgio_file_adopt_fd / sgio_file_fd take and give a HANDLE
// value on Windows; what the handle allows is what sgio allows; the page-gather path
// (WriteFileGather/ReadFileScatter on an unbuffered file) and the WriteFile-run path agree.
#include <windows.h>

#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sgio/sgio.h>

#include "../common/scratch.hpp"

using sgio_test_common::ScratchDir;
using sgio_test_common::slurp;

namespace {

HANDLE open_plain(const std::string& path, DWORD access, DWORD disposition) {
  std::wstring wide(path.begin(), path.end());  // the scratch paths are ASCII
  return CreateFileW(wide.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                     disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
}

sgio_segment seg(const void* p, uint64_t n) { return sgio_segment{reinterpret_cast<uintptr_t>(p), n}; }

}  // namespace

TEST_CASE("adopt a HANDLE: ownership, the value sgio_file_fd gives back, access from the handle") {
  ScratchDir dir;
  const std::string path = dir.file("adopt.bin");
  HANDLE h = open_plain(path, GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  sgio_file* f = nullptr;
  REQUIRE(sgio_file_adopt_fd(&f, static_cast<int64_t>(reinterpret_cast<intptr_t>(h)), 0) == SGIO_OK);
  int64_t back = 0;
  REQUIRE(sgio_file_fd(f, &back) == SGIO_OK);
  CHECK(back == static_cast<int64_t>(reinterpret_cast<intptr_t>(h)));
  std::vector<uint8_t> a(3000, 0xA1), b(5000, 0xB2);
  sgio_segment segs[2] = {seg(a.data(), a.size()), seg(b.data(), b.size())};
  uint64_t n = 0;
  REQUIRE(sgio_file_write_gather(f, segs, 2, 100, &n) == SGIO_OK);
  CHECK(n == 8000);
  // The caller's handle sees the data (same file), before sgio closes it.
  char probe[4] = {};
  OVERLAPPED ov{};
  ov.Offset = 100 + 2999;
  DWORD got = 0;
  REQUIRE(ReadFile(h, probe, 2, &got, &ov));
  CHECK(got == 2);
  CHECK(static_cast<uint8_t>(probe[0]) == 0xA1);
  CHECK(static_cast<uint8_t>(probe[1]) == 0xB2);
  REQUIRE(sgio_file_close(f) == SGIO_OK);
  DWORD flags = 0;
  CHECK(!GetHandleInformation(h, &flags));  // closed by sgio_file_close: sgio owned it
  std::vector<uint8_t> disk = slurp(path);
  REQUIRE(disk.size() == 8100);
  CHECK(disk[99] == 0);
  CHECK(disk[100] == 0xA1);
  CHECK(disk[8099] == 0xB2);

  // A read-only handle gives a read-only file.
  HANDLE ro = open_plain(path, GENERIC_READ, OPEN_EXISTING);
  REQUIRE(ro != INVALID_HANDLE_VALUE);
  REQUIRE(sgio_file_adopt_fd(&f, static_cast<int64_t>(reinterpret_cast<intptr_t>(ro)), 0) == SGIO_OK);
  CHECK(sgio_file_write_gather(f, segs, 2, 0, &n) == SGIO_EACCES);
  CHECK(n == 0);
  std::vector<uint8_t> r(8000);
  sgio_segment rs = seg(r.data(), r.size());
  REQUIRE(sgio_file_read_scatter(f, &rs, 1, 100, &n) == SGIO_OK);
  CHECK(n == 8000);
  CHECK(r[2999] == 0xA1);
  CHECK(r[3000] == 0xB2);
  CHECK(sgio_file_close(f) == SGIO_OK);

  // Not a handle: SGIO_EBADHANDLE, nothing adopted.
  CHECK(sgio_file_adopt_fd(&f, 0x7ffff0, 0) == SGIO_EBADHANDLE);
  CHECK(f == nullptr);
}

TEST_CASE("an unbuffered file: page gathers (WriteFileGather) and sector runs (WriteFile) land the same bytes") {
  ScratchDir dir;
  const std::string path = dir.file("direct.bin");
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
  sgio_file* f = nullptr;
  REQUIRE(sgio_file_open(&f, path.c_str(), &o) == SGIO_OK);
  uint32_t mem = 0, off = 0;
  REQUIRE(sgio_file_alignment(f, &mem, &off) == SGIO_OK);
  CHECK(mem >= 512);
  CHECK(off >= 512);
  const uint32_t page = sgio_page_size();
  void* block = nullptr;
  REQUIRE(sgio_aligned_alloc(&block, 16 * uint64_t{page}, page) == SGIO_OK);
  auto* p = static_cast<uint8_t*>(block);
  for (uint32_t i = 0; i < 16 * page; ++i) p[i] = static_cast<uint8_t>(i * 11 + i / page);
  // Pages 6, 2, 9: page-shaped, so one WriteFileGather.
  sgio_segment pages[3] = {seg(p + 6 * page, page), seg(p + 2 * page, page), seg(p + 9 * page, page)};
  uint64_t n = 0;
  REQUIRE(sgio_file_write_gather(f, pages, 3, 0, &n) == SGIO_OK);
  CHECK(n == 3 * uint64_t{page});
  // Sector-sized pieces, two of them adjacent in memory (one run): WriteFile per run.
  sgio_segment runs[3] = {seg(p + 12 * page, off), seg(p + 12 * page + off, off), seg(p + 4 * page, off)};
  REQUIRE(sgio_file_write_gather(f, runs, 3, 3 * uint64_t{page}, &n) == SGIO_OK);
  CHECK(n == 3 * uint64_t{off});
  // Scatter everything back into pages (ReadFileScatter for the page-sized part).
  void* in = nullptr;
  REQUIRE(sgio_aligned_alloc(&in, 4 * uint64_t{page}, page) == SGIO_OK);
  auto* q = static_cast<uint8_t*>(in);
  sgio_segment back[4] = {seg(q + 3 * page, page), seg(q, page), seg(q + page, page), seg(q + 2 * page, page)};
  REQUIRE(sgio_file_read_scatter(f, back, 4, 0, &n) == SGIO_OK);
  CHECK(n == 3 * uint64_t{page} + 3 * uint64_t{off});  // the file ends there
  CHECK(std::memcmp(q + 3 * page, p + 6 * page, page) == 0);
  CHECK(std::memcmp(q, p + 2 * page, page) == 0);
  CHECK(std::memcmp(q + page, p + 9 * page, page) == 0);
  CHECK(std::memcmp(q + 2 * page, p + 12 * page, 2 * off) == 0);
  CHECK(std::memcmp(q + 2 * page + 2 * off, p + 4 * page, off) == 0);
  CHECK(sgio_file_close(f) == SGIO_OK);
  sgio_aligned_free(block);
  sgio_aligned_free(in);
}

TEST_CASE("one file serves two queues and the synchronous calls at once (each queue binds its own handle)") {
  ScratchDir dir;
  const std::string path = dir.file("shared.bin");
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
  sgio_file* f = nullptr;
  REQUIRE(sgio_file_open(&f, path.c_str(), &o) == SGIO_OK);
  const uint32_t page = sgio_page_size();
  constexpr int kPerQueue = 16;
  void* block = nullptr;
  REQUIRE(sgio_aligned_alloc(&block, 3 * kPerQueue * uint64_t{page}, page) == SGIO_OK);
  auto* p = static_cast<uint8_t*>(block);
  for (uint64_t i = 0; i < 3 * kPerQueue * uint64_t{page}; ++i) p[i] = static_cast<uint8_t>(i * 5 + i / page);
  sgio_queue* qs[2] = {};
  for (auto& q : qs) REQUIRE(sgio_queue_create(&q, nullptr) == SGIO_OK);
  std::vector<sgio_segment> segs(3 * kPerQueue);
  for (int i = 0; i < 3 * kPerQueue; ++i) segs[i] = seg(p + uint64_t(i) * page, page);
  // Pages [0, 16) through queue 0, [16, 32) through queue 1, [32, 48) synchronously.
  for (int k = 0; k < 2; ++k) {
    std::vector<sgio_request> reqs;
    for (int i = 0; i < kPerQueue; ++i) {
      const int page_no = k * kPerQueue + i;
      reqs.push_back(sgio_request{f, reinterpret_cast<uintptr_t>(&segs[page_no]), 1, SGIO_OP_WRITE_GATHER,
                                  uint64_t(page_no) * page, uint64_t(page_no), 0});
    }
    uint32_t submitted = 0;
    REQUIRE(sgio_queue_submit(qs[k], reqs.data(), kPerQueue, &submitted) == SGIO_OK);
    CHECK(submitted == kPerQueue);
  }
  uint64_t n = 0;
  REQUIRE(sgio_file_write_gather(f, &segs[2 * kPerQueue], kPerQueue, 2 * kPerQueue * uint64_t{page}, &n) == SGIO_OK);
  CHECK(n == kPerQueue * uint64_t{page});
  for (int k = 0; k < 2; ++k) {
    std::vector<sgio_completion> got(kPerQueue);
    uint32_t have = 0;
    while (have < kPerQueue) {
      uint32_t c = 0;
      REQUIRE(sgio_queue_wait(qs[k], got.data() + have, kPerQueue - have, 1, 60000, &c) == SGIO_OK);
      REQUIRE(c > 0);
      have += c;
    }
    for (const sgio_completion& c : got) {
      CHECK(c.status == SGIO_OK);
      CHECK(c.bytes == page);
      CHECK(c.user_data / kPerQueue == static_cast<uint64_t>(k));
    }
    CHECK(sgio_queue_free(qs[k]) == SGIO_OK);
  }
  CHECK(sgio_file_close(f) == SGIO_OK);
  std::vector<uint8_t> disk = slurp(path);
  REQUIRE(disk.size() == 3 * kPerQueue * uint64_t{page});
  CHECK(std::memcmp(disk.data(), p, disk.size()) == 0);
  sgio_aligned_free(block);
}
