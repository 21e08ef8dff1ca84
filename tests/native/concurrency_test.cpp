// SPDX-License-Identifier: Apache-2.0
// Many threads on one handle: disjoint gathers that all land, and a handle closed while other
// threads are using it (every call then succeeds or says SGIO_EBADHANDLE; nothing crashes, and a
// stale handle never reaches a file opened later in the same table slot).
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace sgio_test;

namespace {

constexpr uint64_t kMiB = 1u << 20;

void disjoint_writers(bool direct) {
  constexpr int kThreads = 4;
  constexpr uint64_t kRegion = 8 * kMiB;
  constexpr int kRounds = 40;
  ScratchDir dir;
  const std::string path = dir.file("shared.bin");
  uint32_t flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE;
  if (direct) flags |= SGIO_OPEN_DIRECT;
  sgio_file* f = open_file(path, flags);
  REQUIRE(sgio_file_truncate(f, kThreads * kRegion) == SGIO_OK);
  std::vector<std::vector<uint8_t>> models(kThreads, std::vector<uint8_t>(kRegion, 0));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(0xC0C0 + t + (direct ? 100 : 0));
      AlignedBuffer src(1 * kMiB), back(1 * kMiB);
      std::vector<uint8_t>& model = models[t];
      for (int r = 0; r < kRounds; ++r) {
        for (uint64_t i = 0; i < src.size(); ++i) src.data()[i] = static_cast<uint8_t>(rng());
        // 1..64 segments of 4 KiB pages, in shuffled order.
        uint64_t count = 1 + rng() % 64;
        std::vector<sgio_segment> segs;
        for (uint64_t i = 0; i < count; ++i) segs.push_back(seg(src.data() + (rng() % 256) * 4096, 4096));
        uint64_t off = (rng() % ((kRegion - count * 4096) / 4096 + 1)) * 4096;
        uint64_t n = 0;
        if (sgio_file_write_gather(f, segs.data(), static_cast<uint32_t>(count), t * kRegion + off, &n) != SGIO_OK ||
            n != count * 4096) {
          ++failures;
          return;
        }
        for (uint64_t i = 0; i < count; ++i)
          std::memcpy(model.data() + off + i * 4096, reinterpret_cast<void*>(static_cast<uintptr_t>(segs[i].buffer)),
                      4096);
        // Read part of the own region back while the others keep writing theirs.
        sgio_segment rs[2] = {seg(back.data(), 512 * 1024), seg(back.data() + 512 * 1024, 512 * 1024)};
        uint64_t roff = (rng() % ((kRegion - kMiB) / 4096 + 1)) * 4096;
        if (sgio_file_read_scatter(f, rs, 2, t * kRegion + roff, &n) != SGIO_OK || n != kMiB ||
            std::memcmp(back.data(), model.data() + roff, kMiB) != 0) {
          ++failures;
          return;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  CHECK(failures.load() == 0);
  CHECK(sgio_file_close(f) == SGIO_OK);
  std::vector<uint8_t> disk = slurp(path);
  REQUIRE(disk.size() == kThreads * kRegion);
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread ", t);
    CHECK(std::memcmp(disk.data() + t * kRegion, models[t].data(), kRegion) == 0);
  }
  sgio_test_common::reliability::tally("torture", direct ? "native/sync/direct" : "native/sync/buffered",
                                       "4 threads x 40 rounds of gather + scatter on one file", kThreads * kRounds * 2);
}

}  // namespace

TEST_SUITE("concurrency") {

TEST_CASE("threads gathering into disjoint ranges of one file, buffered") { disjoint_writers(false); }
TEST_CASE("threads gathering into disjoint ranges of one file, direct") { disjoint_writers(true); }

TEST_CASE("closing a handle while other threads use it") {
  constexpr int kThreads = 4;
  constexpr uint64_t kMaxOps = 2'000'000;  // bound on every loop: no test can hang
  ScratchDir dir;
  const std::string path = dir.file("closing.bin");
  const std::string other = dir.file("other.bin");
  const std::vector<uint8_t> other_bytes = pattern(64 * 1024, 77);
  spit(other, other_bytes);
  sgio_file* f = open_file(path, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE);

  std::atomic<uint64_t> ops{0};
  std::atomic<int> bad_status{0};
  std::atomic<int> resurrected{0};
  std::atomic<int> saw_closed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<uint8_t> buf(16 * 4096, static_cast<uint8_t>(0xA0 + t));
      sgio_segment segs[4] = {seg(buf.data(), 4096), seg(buf.data() + 8192, 8192), seg(buf.data() + 20480, 4096),
                              seg(buf.data() + 32768, 4096)};
      bool closed = false;
      uint64_t after_close = 0;
      for (uint64_t i = 0; i < kMaxOps && after_close < 2000; ++i) {
        uint64_t n = 0, size = 0;
        int32_t rc;
        switch (i % 3) {
          case 0: rc = sgio_file_write_gather(f, segs, 4, (i % 64) * 4096, &n); break;
          case 1: rc = sgio_file_read_scatter(f, segs, 4, (i % 64) * 4096, &n); break;
          default: rc = sgio_file_size(f, &size); break;
        }
        ops.fetch_add(1, std::memory_order_relaxed);
        if (rc == SGIO_EBADHANDLE) {
          closed = true;
        } else if (rc != SGIO_OK) {
          ++bad_status;
        } else if (closed) {
          ++resurrected;  // a closed handle must stay closed
        }
        if (closed) ++after_close;
      }
      if (closed) ++saw_closed;
    });
  }
  // Let the threads get going (bounded wait), then close under them.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ops.load() < 2000 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  CHECK(sgio_file_close(f) == SGIO_OK);
  // Open other files now: one of them likely takes the freed table slot. The stale handle must not
  // reach it.
  std::vector<sgio_file*> later;
  for (int i = 0; i < 8; ++i) later.push_back(open_file(other, SGIO_OPEN_READ | SGIO_OPEN_WRITE));
  for (std::thread& th : threads) th.join();
  for (sgio_file* h : later) CHECK(sgio_file_close(h) == SGIO_OK);
  CHECK(bad_status.load() == 0);
  CHECK(resurrected.load() == 0);
  CHECK(saw_closed.load() == kThreads);
  CHECK(slurp(other) == other_bytes);
  MESSAGE(ops.load(), " calls raced with the close");
  sgio_test_common::reliability::tally("race", "native", "close while 4 threads use the handle", 1);
}

TEST_CASE("racing closes: exactly one succeeds") {
  ScratchDir dir;
  const std::string path = dir.file("race.bin");
  spit(path, pattern(4096, 1));
  for (int round = 0; round < 50; ++round) {
    sgio_file* f = open_file(path, SGIO_OPEN_READ);
    std::atomic<int> ok{0}, bad{0}, other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        int32_t rc = sgio_file_close(f);
        (rc == SGIO_OK ? ok : rc == SGIO_EBADHANDLE ? bad : other)++;
      });
    }
    go = true;
    for (std::thread& th : threads) th.join();
    CHECK(ok.load() == 1);
    CHECK(bad.load() == 3);
    CHECK(other.load() == 0);
  }
  sgio_test_common::reliability::tally("race", "native", "racing closes of one handle", 50);
}

}  // TEST_SUITE
