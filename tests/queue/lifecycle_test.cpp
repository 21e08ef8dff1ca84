// SPDX-License-Identifier: Apache-2.0
// Freeing a queue with I/O in flight, closing files under it, and frees that race with waiters.
// Run under ASan (SGIO_SANITIZE=address,undefined) to prove no completion touches freed memory.
#include <atomic>
#include <thread>

#include "support.hpp"

using namespace qtest;

TEST_SUITE("lifecycle") {

TEST_CASE("sgio_queue_free with I/O in flight returns after the kernel has let go of every buffer") {
  ScratchDir dir;
  for (bool direct : {true, false}) {
    for (uint32_t op : {SGIO_OP_WRITE_GATHER, SGIO_OP_READ_SCATTER}) {
      CAPTURE(direct);
      CAPTURE(op);
      sgio_file* f = open_file(dir.file(direct ? "d" : "b"), direct);
      REQUIRE(sgio_file_truncate(f, 64ull << 16) == SGIO_OK);
      sgio_queue* q = make_queue();
      constexpr int n = 64;
      auto* bufs = new Buffer*[n];
      auto* segs = new std::vector<sgio_segment>[n];
      std::vector<sgio_request> reqs;
      for (int i = 0; i < n; ++i) {
        bufs[i] = new Buffer(1 << 16, i);
        // 16 pages per request, as scattered segments.
        for (int s = 0; s < 16; ++s) segs[i].push_back({bufs[i]->addr(s * 4096), 4096});
        reqs.push_back(request(f, op, segs[i], uint64_t(i) << 16, i));
      }
      REQUIRE(sgio_queue_submit(q, reqs.data(), n, nullptr) == SGIO_OK);
      CHECK(sgio_queue_free(q) == SGIO_OK);
      // From here the library may not touch the segment arrays or the buffers: poison and free
      // them (ASan reports any later access), and check no read lands in them afterwards.
      for (int i = 0; i < n; ++i) std::memset(bufs[i]->data(), 0xAB, bufs[i]->size());
      CHECK(sgio_file_flush(f) == SGIO_OK);
      for (int i = 0; i < n; ++i) {
        for (size_t k = 0; k < bufs[i]->size(); k += 4096) CHECK(bufs[i]->data()[k] == 0xAB);
        delete bufs[i];
      }
      delete[] bufs;
      delete[] segs;
      CHECK(sgio_file_close(f) == SGIO_OK);
    }
  }
}

TEST_CASE("closing the file handle does not cut short requests already submitted") {
  ScratchDir dir;
  std::string path = dir.file("closed");
  sgio_file* f = open_file(path, true);
  sgio_queue* q = make_queue();
  Buffer b(1 << 20, 0x3c);
  std::vector<sgio_segment> seg{{b.addr(), b.size()}};
  std::vector<sgio_request> reqs;
  for (int i = 0; i < 8; ++i) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, seg, uint64_t(i) << 20, i));
  REQUIRE(sgio_queue_submit(q, reqs.data(), 8, nullptr) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
  auto done = collect(q, 8);
  for (int i = 0; i < 8; ++i) {
    CHECK(done[i].status == SGIO_OK);
    CHECK(done[i].bytes == b.size());
  }
  auto file = slurp(path);
  REQUIRE(file.size() == 8u << 20);
  CHECK(std::all_of(file.begin(), file.end(), [](uint8_t c) { return c == 0x3c; }));
  // The closed handle is refused in new requests.
  uint32_t submitted = 1;
  CHECK(sgio_queue_submit(q, reqs.data(), 1, &submitted) == SGIO_EBADHANDLE);
  CHECK(submitted == 0);
  CHECK(sgio_queue_free(q) == SGIO_OK);
}

TEST_CASE("a waiter blocked forever is released when another thread frees the queue") {
  sgio_queue* q = make_queue();
  int32_t wait_status = 1;
  std::thread waiter([&] {
    sgio_completion c;
    uint32_t n = 0;
    wait_status = sgio_queue_wait(q, &c, 1, 1, UINT32_MAX, &n);
  });
  // The waiter may or may not have entered the wait yet: either way it must return.
  CHECK(sgio_queue_free(q) == SGIO_OK);
  waiter.join();
  CHECK(wait_status == SGIO_EBADHANDLE);
}

TEST_CASE("free racing with submit, wait and cancel on other threads: calls fail cleanly, nothing leaks") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("race"), false);
  Buffer b(8 * 4096, 7);
  std::vector<std::vector<sgio_segment>> segs(8);
  for (int i = 0; i < 8; ++i) segs[i].push_back({b.addr(i * 4096ull), 4096});
  for (int round = 0; round < 20; ++round) {
    sgio_queue* q = make_queue(64);
    std::atomic<bool> stop{false};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        std::vector<sgio_request> reqs;
        for (int i = 0; i < 4; ++i) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, segs[t * 4 + i], (t * 4 + i) * 4096ull, i));
        while (!stop.load()) {
          uint32_t n = 0;
          int32_t st = sgio_queue_submit(q, reqs.data(), 4, &n);
          if (st == SGIO_EBADHANDLE) return;  // freed under us: the expected end
          if (st != SGIO_OK && st != SGIO_EBUSY) ++unexpected;
          sgio_completion c[8];
          st = sgio_queue_wait(q, c, 8, 0, 0, &n);
          if (st == SGIO_EBADHANDLE) return;
          if (st != SGIO_OK) ++unexpected;
          st = sgio_queue_cancel(q, 2, &n);
          if (st == SGIO_EBADHANDLE) return;
          if (st != SGIO_OK) ++unexpected;
        }
      });
    }
    // Let the threads get going (any amount of overlap is valid), then free under them.
    for (int spin = 0; spin < 100; ++spin) std::this_thread::yield();
    CHECK(sgio_queue_free(q) == SGIO_OK);
    stop = true;
    for (auto& t : threads) t.join();
    CHECK(unexpected.load() == 0);
  }
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("many queues created and freed with work in flight") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("churn"), false);
  // One buffer per request: reads land in their buffers concurrently with other requests.
  Buffer b(8 * 65536, 1);
  std::vector<std::vector<sgio_segment>> segs(8);
  for (int i = 0; i < 8; ++i) segs[i].push_back({b.addr(i * 65536ull), 65536});
  for (int round = 0; round < 50; ++round) {
    sgio_queue* q = make_queue(8);
    std::vector<sgio_request> reqs;
    for (int i = 0; i < 8; ++i) reqs.push_back(request(f, i % 2 ? SGIO_OP_READ_SCATTER : SGIO_OP_WRITE_GATHER, segs[i], i * 65536ull, i));
    REQUIRE(sgio_queue_submit(q, reqs.data(), 8, nullptr) == SGIO_OK);
    if (round % 2) collect(q, 8);
    REQUIRE(sgio_queue_free(q) == SGIO_OK);
  }
  CHECK(sgio_file_close(f) == SGIO_OK);
}

}  // TEST_SUITE
