// SPDX-License-Identifier: Apache-2.0
// Many threads on one queue, and no thread per request on the io_uring backend.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace qtest;

TEST_SUITE("threads") {

TEST_CASE("threads submitting and waiting at once: every request completes once, the file is right") {
  ScratchDir dir;
  std::string path = dir.file("mt");
  sgio_file* f = open_file(path, false);
  sgio_queue* q = make_queue(1024);
  constexpr int kThreads = 6, kPerThread = 80, kSegs = 8, kSeg = 512;
  constexpr uint64_t kReqBytes = uint64_t(kSegs) * kSeg;
  Buffer data(size_t(kThreads) * kPerThread * kReqBytes);
  for (size_t i = 0; i < data.size(); ++i) data.data()[i] = static_cast<uint8_t>(i * 31 + (i >> 12));
  std::vector<std::thread> submitters;
  std::atomic<int> submit_errors{0};
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; i += 4) {
        std::vector<std::vector<sgio_segment>>* keep = new std::vector<std::vector<sgio_segment>>(4);
        std::vector<sgio_request> reqs;
        for (int j = 0; j < 4; ++j) {
          uint64_t id = uint64_t(t) * kPerThread + i + j;
          // Segments in reverse order inside the request: the file must follow segment order.
          for (int s = kSegs - 1; s >= 0; --s) (*keep)[j].push_back({data.addr(id * kReqBytes + s * kSeg), kSeg});
          reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, (*keep)[j], id * kReqBytes, id));
        }
        uint32_t n = 0;
        if (sgio_queue_submit(q, reqs.data(), 4, &n) != SGIO_OK || n != 4) ++submit_errors;
        // Segment arrays must outlive completion: hand them to a list freed at the end.
        static std::mutex mu;
        static std::vector<std::unique_ptr<std::vector<std::vector<sgio_segment>>>> held;
        std::lock_guard lock(mu);
        held.emplace_back(keep);
      }
    });
  }
  std::mutex got_mu;
  std::multiset<uint64_t> got;
  std::atomic<int> bad{0};
  std::vector<std::thread> waiters;
  const size_t total = size_t(kThreads) * kPerThread;
  for (int w = 0; w < 3; ++w) {
    waiters.emplace_back([&] {
      sgio_completion c[16];
      for (int idle = 0; idle < 60;) {
        {
          std::lock_guard lock(got_mu);
          if (got.size() >= total) return;
        }
        uint32_t n = 0;
        if (sgio_queue_wait(q, c, 16, 1, 1000, &n) != SGIO_OK) {
          ++bad;
          return;
        }
        idle = n ? 0 : idle + 1;
        std::lock_guard lock(got_mu);
        for (uint32_t i = 0; i < n; ++i) {
          if (c[i].status != SGIO_OK || c[i].bytes != kReqBytes) ++bad;
          got.insert(c[i].user_data);
        }
      }
    });
  }
  for (auto& t : submitters) t.join();
  for (auto& t : waiters) t.join();
  CHECK(submit_errors.load() == 0);
  CHECK(bad.load() == 0);
  REQUIRE(got.size() == total);
  for (uint64_t id = 0; id < total; ++id) CHECK(got.count(id) == 1);
  auto file = slurp(path);
  REQUIRE(file.size() == data.size());
  for (uint64_t id = 0; id < total; ++id)
    for (int s = 0; s < kSegs; ++s)
      REQUIRE(std::memcmp(file.data() + id * kReqBytes + s * kSeg, data.data() + id * kReqBytes + s * kSeg, kSeg) == 0);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
  sgio_test_common::reliability::tally("torture", sgio_test_common::reliability::on_backend("queue"),
                                       "6 threads x 80 gathers submitted while 4 threads wait", total);
}

#ifndef _WIN32  // io_uring and /proc thread counts
TEST_CASE("io_uring: 32 overlapped 64 KiB direct gathers do not get a thread each") {
  uint32_t backend = 0;
  {
    sgio_queue* probe = make_queue();
    REQUIRE(sgio_queue_backend(probe, &backend) == SGIO_OK);
    REQUIRE(sgio_queue_free(probe) == SGIO_OK);
  }
  if (backend != SGIO_BACKEND_URING) return;  // the pool backend has threads by design
  ScratchDir dir;
  std::string path = dir.file("threads");
  sgio_file* f = open_file(path, true);
  constexpr int n = 32;
  Buffer data(size_t(n) << 16, 0x11);
  // Overwrites of allocated blocks: ext4 runs them without blocking (IOCB_NOWAIT) in the
  // submitting thread; see the README for allocating writes.
  {
    std::vector<sgio_segment> whole{{data.addr(), data.size()}};
    uint64_t w = 0;
    REQUIRE(sgio_file_write_gather(f, reinterpret_cast<const sgio_segment*>(whole.data()), 1, 0, &w) == SGIO_OK);
  }
  std::vector<std::vector<sgio_segment>> segs(n);
  std::vector<sgio_request> reqs;
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < 16; ++s) segs[i].push_back({data.addr((size_t(i) << 16) + s * 4096), 4096});
    reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, segs[i], uint64_t(i) << 16, i));
  }
  int before = thread_count();
  sgio_queue* q = make_queue(64);
  int peak = thread_count();
  for (int round = 0; round < 20; ++round) {
    REQUIRE(sgio_queue_submit(q, reqs.data(), n, nullptr) == SGIO_OK);
    peak = std::max(peak, thread_count());  // all 32 are in flight or just finished
    auto done = collect(q, n);
    for (int i = 0; i < n; ++i) CHECK(done[i].status == SGIO_OK);
    peak = std::max(peak, thread_count());
  }
  int after = thread_count();
  MESSAGE("threads: before ", before, ", peak ", peak, ", after ", after);
  CHECK(peak - before <= 2);  // the completion thread (and nothing per request)
  CHECK(after - before <= 2);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("io_uring: allocating direct writes (punted to io-wq by ext4) get a bounded worker set") {
  uint32_t backend = 0;
  {
    sgio_queue* probe = make_queue();
    REQUIRE(sgio_queue_backend(probe, &backend) == SGIO_OK);
    REQUIRE(sgio_queue_free(probe) == SGIO_OK);
  }
  if (backend != SGIO_BACKEND_URING) return;
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("append"), true);
  constexpr int n = 32;
  Buffer data(size_t(n) << 16, 0x22);
  std::vector<std::vector<sgio_segment>> segs(n);
  for (int i = 0; i < n; ++i) segs[i].push_back({data.addr(size_t(i) << 16), 1 << 16});
  int before = thread_count();
  sgio_queue* q = make_queue(64);
  int peak = thread_count();
  uint64_t off = 0;
  for (int round = 0; round < 8; ++round) {
    std::vector<sgio_request> reqs;
    for (int i = 0; i < n; ++i, off += 1 << 16) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, segs[i], off, i));
    REQUIRE(sgio_queue_submit(q, reqs.data(), n, nullptr) == SGIO_OK);
    peak = std::max(peak, thread_count());
    auto done = collect(q, n);
    for (int i = 0; i < n; ++i) CHECK(done[i].status == SGIO_OK);
    peak = std::max(peak, thread_count());
  }
  MESSAGE("threads: before ", before, ", peak ", peak);
  // The completion thread plus at most 4 io-wq workers for this submitting thread (and one
  // being started); the kernel default would be min(64, 4 x CPUs).
  CHECK(peak - before <= 6);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

#endif

}  // TEST_SUITE
