// SPDX-License-Identifier: Apache-2.0
// Batches, integrity, user_data, EOF, timeouts and the eventfd, on the backend CTest selected.
#ifndef _WIN32
#include <poll.h>
#endif

#include <chrono>
#include <random>
#include <thread>

#include "support.hpp"

using namespace qtest;

TEST_SUITE("basic") {

TEST_CASE("the queue reports the backend the environment forced") {
  sgio_queue* q = make_queue();
  uint32_t b = 99;
  REQUIRE(sgio_queue_backend(q, &b) == SGIO_OK);
  if (expected_backend() != SGIO_BACKEND_AUTO)
    CHECK(b == expected_backend());
  else
    CHECK((b == SGIO_BACKEND_URING || b == SGIO_BACKEND_POOL));
  CHECK(sgio_queue_backend(q, nullptr) == SGIO_EINVAL);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_queue_free(nullptr) == SGIO_OK);
}

TEST_CASE("options: defaults, versions and reserved fields are checked") {
  sgio_queue_options o;
  REQUIRE(sgio_queue_options_init(&o, SGIO_QUEUE_OPTIONS_VERSION) == SGIO_OK);
  CHECK(o.version == SGIO_QUEUE_OPTIONS_VERSION);
  CHECK(o.depth == 256);
  CHECK(o.backend == SGIO_BACKEND_AUTO);
  CHECK(o.reserved == 0);
  CHECK(sgio_queue_options_init(&o, 99) == SGIO_EINVAL);
  CHECK(sgio_queue_options_init(nullptr, SGIO_QUEUE_OPTIONS_VERSION) == SGIO_EINVAL);
  sgio_queue* q = reinterpret_cast<sgio_queue*>(uintptr_t{1});
  sgio_queue_options bad = o;
  bad.version = 7;
  CHECK(sgio_queue_create(&q, &bad) == SGIO_EINVAL);
  CHECK(q == nullptr);
  bad = o;
  bad.reserved = 1;
  CHECK(sgio_queue_create(&q, &bad) == SGIO_EINVAL);
  bad = o;
  bad.backend = 4;
  CHECK(sgio_queue_create(&q, &bad) == SGIO_EINVAL);
  CHECK(sgio_queue_create(nullptr, &o) == SGIO_EINVAL);
  // NULL options: defaults.
  REQUIRE(sgio_queue_create(&q, nullptr) == SGIO_OK);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  // Each explicit backend is honoured (io_uring only where the kernel allows it).
  for (uint32_t b : {SGIO_BACKEND_POOL, SGIO_BACKEND_SYNC, SGIO_BACKEND_URING}) {
    sgio_queue_options e = o;
    e.backend = b;
    int32_t st = sgio_queue_create(&q, &e);
    if (b == SGIO_BACKEND_URING && st == SGIO_ENOTSUP) continue;
#ifdef _WIN32
    // Windows: the completion port (reported as URING) is the only backend.
    if (b != SGIO_BACKEND_URING) {
      CHECK(st == SGIO_ENOTSUP);
      CHECK(q == nullptr);
      continue;
    }
#endif
    REQUIRE(st == SGIO_OK);
    uint32_t got = 0;
    CHECK(sgio_queue_backend(q, &got) == SGIO_OK);
    CHECK(got == b);
    CHECK(sgio_queue_free(q) == SGIO_OK);
  }
}

TEST_CASE("64 gathers of 1..256 segments in one batch land intact and read back in one batch") {
  ScratchDir dir;
  for (bool direct : {false, true}) {
    CAPTURE(direct);
    std::string path = dir.file(direct ? "direct" : "buffered");
    sgio_file* f = open_file(path, direct);
    sgio_queue* q = make_queue();
    constexpr int kReqs = 64;
    constexpr size_t kSeg = 4096;
    std::mt19937 rng(direct ? 7 : 11);
    std::vector<std::vector<sgio_segment>> segs(kReqs);
    std::vector<uint64_t> offsets(kReqs);
    size_t total_segs = 0;
    for (int r = 0; r < kReqs; ++r) {
      size_t n = r == 0 ? 256 : r == 1 ? 1 : 1 + rng() % 256;
      segs[r].resize(n);
      total_segs += n;
    }
    // Buffered: odd lengths too (any lengths are allowed); direct: whole pages.
    Buffer data(total_segs * kSeg);
    for (size_t i = 0; i < data.size(); ++i) data.data()[i] = static_cast<uint8_t>(rng());
    std::vector<sgio_request> reqs;
    uint64_t off = 0;
    size_t pos = 0;
    for (int r = 0; r < kReqs; ++r) {
      offsets[r] = off;
      for (auto& s : segs[r]) {
        size_t len = direct ? kSeg : 1 + rng() % kSeg;
        // Every other segment comes from a non-adjacent place, so some runs merge and some do not.
        s.buffer = data.addr(pos);
        s.length = len;
        pos += kSeg;
        off += len;
      }
      reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, segs[r], offsets[r], 1000 + r));
    }
    uint32_t submitted = 0;
    int32_t st = sgio_queue_submit(q, reqs.data(), kReqs, &submitted);
    INFO(sgio_last_error_message());
    REQUIRE(st == SGIO_OK);
    CHECK(submitted == kReqs);
    auto done = collect(q, kReqs);
    for (int r = 0; r < kReqs; ++r) {
      uint64_t want = 0;
      for (auto& s : segs[r]) want += s.length;
      REQUIRE(done.count(1000 + r) == 1);
      CHECK(done[1000 + r].status == SGIO_OK);
      CHECK(done[1000 + r].bytes == want);
    }
    // The file holds exactly the gathered bytes (read independently of sgio).
    std::vector<uint8_t> file = slurp(path);
    REQUIRE(file.size() == off);
    for (int r = 0; r < kReqs; ++r) {
      uint64_t at = offsets[r];
      for (auto& s : segs[r]) {
        REQUIRE(std::memcmp(file.data() + at, reinterpret_cast<void*>(s.buffer), s.length) == 0);
        at += s.length;
      }
    }
    // Scatter the same ranges back into a fresh buffer through the queue.
    Buffer back(total_segs * kSeg, 0xEE);
    std::vector<std::vector<sgio_segment>> rsegs(kReqs);
    std::vector<sgio_request> rreqs;
    for (int r = 0; r < kReqs; ++r) {
      for (auto& s : segs[r]) rsegs[r].push_back({back.addr(s.buffer - data.addr()), s.length});
      rreqs.push_back(request(f, SGIO_OP_READ_SCATTER, rsegs[r], offsets[r], 5000 + r));
    }
    REQUIRE(sgio_queue_submit(q, rreqs.data(), kReqs, &submitted) == SGIO_OK);
    auto rdone = collect(q, kReqs);
    for (int r = 0; r < kReqs; ++r) {
      CHECK(rdone[5000 + r].status == SGIO_OK);
      CHECK(rdone[5000 + r].bytes == done[1000 + r].bytes);
      for (auto& s : rsegs[r]) REQUIRE(std::memcmp(reinterpret_cast<void*>(s.buffer), data.data() + (s.buffer - back.addr()), s.length) == 0);
    }
    CHECK(sgio_queue_free(q) == SGIO_OK);
    CHECK(sgio_file_close(f) == SGIO_OK);
  }
}

TEST_CASE("a gather of more than IOV_MAX segments is split and continued until it is complete") {
  ScratchDir dir;
  for (bool direct : {false, true}) {
    CAPTURE(direct);
    std::string path = dir.file(direct ? "iov-d" : "iov-b");
    sgio_file* f = open_file(path, direct);
    sgio_queue* q = make_queue();
    constexpr size_t kSegs = 2500;
    const size_t seg = direct ? 4096 : 700;
    // Every other slot, so no two segments are adjacent and nothing merges below IOV_MAX.
    Buffer data(kSegs * 2 * 4096);
    for (size_t i = 0; i < data.size(); ++i) data.data()[i] = static_cast<uint8_t>(i / 4096 + i);
    std::vector<sgio_segment> segs;
    for (size_t i = 0; i < kSegs; ++i) segs.push_back({data.addr(i * 2 * 4096), seg});
    sgio_request w = request(f, SGIO_OP_WRITE_GATHER, segs, 4096, 77);
    REQUIRE(sgio_queue_submit(q, &w, 1, nullptr) == SGIO_OK);
    auto done = collect(q, 1);
    CHECK(done[77].status == SGIO_OK);
    CHECK(done[77].bytes == kSegs * seg);
    auto file = slurp(path);
    REQUIRE(file.size() == 4096 + kSegs * seg);
    for (size_t i = 0; i < kSegs; ++i)
      REQUIRE(std::memcmp(file.data() + 4096 + i * seg, data.data() + i * 2 * 4096, seg) == 0);
    Buffer back(kSegs * 2 * 4096, 0);
    std::vector<sgio_segment> rsegs;
    for (size_t i = 0; i < kSegs; ++i) rsegs.push_back({back.addr(i * 2 * 4096), seg});
    sgio_request r = request(f, SGIO_OP_READ_SCATTER, rsegs, 4096, 78);
    REQUIRE(sgio_queue_submit(q, &r, 1, nullptr) == SGIO_OK);
    done = collect(q, 1);
    CHECK(done[78].status == SGIO_OK);
    CHECK(done[78].bytes == kSegs * seg);
    for (size_t i = 0; i < kSegs; ++i)
      REQUIRE(std::memcmp(back.data() + i * 2 * 4096, data.data() + i * 2 * 4096, seg) == 0);
    CHECK(sgio_queue_free(q) == SGIO_OK);
    CHECK(sgio_file_close(f) == SGIO_OK);
  }
}

TEST_CASE("user_data comes back unchanged, whatever order the requests finish in") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("order"), true);
  sgio_queue* q = make_queue();
  // A large request first and small ones after: on an asynchronous backend the small ones may
  // finish first; every user_data must still map to its own request's byte count.
  Buffer big(8 << 20, 1), small(4096, 2);
  std::vector<sgio_segment> bigseg{{big.addr(), big.size()}};
  std::vector<sgio_segment> smallseg{{small.addr(), small.size()}};
  const uint64_t tags[] = {0, UINT64_MAX, 0x8000000000000000ull, 42, 0xdeadbeefcafef00dull};
  std::vector<sgio_request> reqs;
  reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, bigseg, 0, tags[0]));
  for (int i = 1; i < 5; ++i) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, smallseg, (16 << 20) + i * 4096, tags[i]));
  REQUIRE(sgio_queue_submit(q, reqs.data(), 5, nullptr) == SGIO_OK);
  auto done = collect(q, 5);
  CHECK(done[tags[0]].bytes == big.size());
  for (int i = 1; i < 5; ++i) {
    CHECK(done[tags[i]].bytes == 4096);
    CHECK(done[tags[i]].status == SGIO_OK);
  }
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("reads that reach the end of the file complete with the short count") {
  ScratchDir dir;
  std::string path = dir.file("eof");
  {
    std::vector<uint8_t> content(3 * 4096 + 100);
    for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<uint8_t>(i * 13);
    spit(path, content);
  }
  for (bool direct : {false, true}) {
    CAPTURE(direct);
    sgio_file* f = open_file(path, direct);
    sgio_queue* q = make_queue();
    Buffer a(4096, 0xEE), b(4096, 0xEE), c(8192, 0xEE), d(4096, 0xEE);
    std::vector<sgio_segment> segs{{a.addr(), 4096}, {b.addr(), 4096}, {c.addr(), 8192}};
    std::vector<sgio_segment> past{{d.addr(), 4096}};
    sgio_request reqs[2] = {request(f, SGIO_OP_READ_SCATTER, segs, 0, 1),
                            request(f, SGIO_OP_READ_SCATTER, past, 8 * 4096, 2)};
    REQUIRE(sgio_queue_submit(q, reqs, 2, nullptr) == SGIO_OK);
    auto done = collect(q, 2);
    CHECK(done[1].status == SGIO_OK);
    CHECK(done[1].bytes == 3 * 4096 + 100);
    CHECK(done[2].status == SGIO_OK);
    CHECK(done[2].bytes == 0);
    for (size_t i = 0; i < 100; ++i) CHECK(c.data()[4096 + i] == static_cast<uint8_t>((3 * 4096 + i) * 13));
    CHECK(a.data()[1] == 13);
    // Past the end of file (on a direct file: past the sector that holds it) c stays as it was.
    uint32_t sector = 1;
    REQUIRE(sgio_file_alignment(f, nullptr, &sector) == SGIO_OK);
    size_t untouched_from = 4096 + (100 + sector - 1) / sector * sector;
    size_t changed = 0;
    for (size_t i = untouched_from; i < 8192; ++i) changed += c.data()[i] != 0xEE;
    CHECK(changed == 0);
    CHECK(d.data()[0] == 0xEE);
    CHECK(sgio_queue_free(q) == SGIO_OK);
    CHECK(sgio_file_close(f) == SGIO_OK);
  }
}

TEST_CASE("wait: timeouts with nothing pending return no completions; bad arguments are refused") {
  sgio_queue* q = make_queue();
  sgio_completion c[4];
  uint32_t n = 99;
  CHECK(sgio_queue_wait(q, c, 4, 1, 0, &n) == SGIO_OK);
  CHECK(n == 0);
  n = 99;
  CHECK(sgio_queue_wait(q, c, 4, 1, 30, &n) == SGIO_OK);
  CHECK(n == 0);
  n = 99;
  CHECK(sgio_queue_wait(q, c, 4, 0, UINT32_MAX, &n) == SGIO_OK);  // min 0: returns at once
  CHECK(n == 0);
  CHECK(sgio_queue_wait(q, c, 1, 2, 0, &n) == SGIO_EINVAL);
  CHECK(sgio_queue_wait(q, nullptr, 1, 0, 0, &n) == SGIO_EINVAL);
  CHECK(sgio_queue_wait(q, c, 1, 0, 0, nullptr) == SGIO_EINVAL);
  CHECK(sgio_queue_wait(nullptr, c, 1, 0, 0, &n) == SGIO_EBADHANDLE);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  // The freed handle is stale now.
  CHECK(sgio_queue_wait(q, c, 1, 0, 0, &n) == SGIO_EBADHANDLE);
  CHECK(sgio_queue_free(q) == SGIO_EBADHANDLE);
}

TEST_CASE("wait returns at most max_count and keeps the rest for the next call") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("max"), false);
  sgio_queue* q = make_queue();
  Buffer b(4096, 3);
  std::vector<sgio_segment> seg{{b.addr(), 4096}};
  std::vector<sgio_request> reqs;
  for (int i = 0; i < 10; ++i) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, seg, i * 4096, i));
  REQUIRE(sgio_queue_submit(q, reqs.data(), 10, nullptr) == SGIO_OK);
  sgio_completion c[10];
  uint32_t n = 0;
  // min 10 of max 10 with a bound: all ten are there by the time it returns.
  REQUIRE(sgio_queue_wait(q, c, 10, 10, 60000, &n) == SGIO_OK);
  REQUIRE(n == 10);
  REQUIRE(sgio_queue_submit(q, reqs.data(), 10, nullptr) == SGIO_OK);
  uint32_t total = 0;
  for (int round = 0; round < 600 && total < 10; ++round) {
    REQUIRE(sgio_queue_wait(q, c, 3, 1, 100, &n) == SGIO_OK);
    CHECK(n <= 3);
    total += n;
  }
  CHECK(total == 10);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

#ifdef _WIN32
TEST_CASE("Windows has no event fd: sgio_queue_event_fd is SGIO_ENOTSUP and leaves the queue usable") {
  sgio_queue* q = make_queue();
  int64_t fd = 12345;
  CHECK(sgio_queue_event_fd(q, &fd) == SGIO_ENOTSUP);
  CHECK(std::string(sgio_last_error_message()).find("eventfd") != std::string::npos);
  CHECK(sgio_queue_event_fd(q, nullptr) == SGIO_EINVAL);
  uint32_t n = 1;
  CHECK(sgio_queue_wait(q, nullptr, 0, 0, 0, &n) == SGIO_OK);
  CHECK(n == 0);
  CHECK(sgio_queue_free(q) == SGIO_OK);
}
#else
TEST_CASE("the event fd is readable while completions wait, and reset once they are taken") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("evfd"), true);
  sgio_queue* q = make_queue();
  int64_t fd = -1;
  REQUIRE(sgio_queue_event_fd(q, &fd) == SGIO_OK);
  REQUIRE(fd >= 0);
  CHECK(sgio_queue_event_fd(q, nullptr) == SGIO_EINVAL);
  pollfd p{static_cast<int>(fd), POLLIN, 0};
  CHECK(poll(&p, 1, 0) == 0);  // nothing yet
  Buffer b(65536, 9);
  std::vector<sgio_segment> seg{{b.addr(), 65536}};
  std::vector<sgio_request> reqs;
  for (int i = 0; i < 8; ++i) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, seg, i * 65536ull, i));
  REQUIRE(sgio_queue_submit(q, reqs.data(), 8, nullptr) == SGIO_OK);
  size_t got = 0;
  sgio_completion c[8];
  while (got < 8) {
    p.revents = 0;
    REQUIRE(poll(&p, 1, 60000) == 1);  // bounded; the completion wakes it
    CHECK((p.revents & POLLIN) != 0);
    uint32_t n = 0;
    REQUIRE(sgio_queue_wait(q, c, 8, 0, 0, &n) == SGIO_OK);
    CHECK(n >= 1);  // readable means something is there
    got += n;
  }
  p.revents = 0;
  CHECK(poll(&p, 1, 0) == 0);  // drained with the last completion
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("an event fd asked for after completions arrived is readable at once") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("late"), false);
  sgio_queue* q = make_queue();
  Buffer b(4096, 3);
  std::vector<sgio_segment> seg{{b.addr(), 4096}};
  sgio_request r = request(f, SGIO_OP_WRITE_GATHER, seg, 0, 1);
  REQUIRE(sgio_queue_submit(q, &r, 1, nullptr) == SGIO_OK);
  // A buffered write on io_uring/sync has completed inside the submit; give the pool's worker
  // time to finish it too (if it has not, the poll below still sees it arrive).
  if (expected_backend() == SGIO_BACKEND_POOL) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  sgio_completion c[1];
  uint32_t n = 0;
  int64_t fd = -1;
  REQUIRE(sgio_queue_event_fd(q, &fd) == SGIO_OK);
  pollfd p{static_cast<int>(fd), POLLIN, 0};
  CHECK(poll(&p, 1, 5000) == 1);
  REQUIRE(sgio_queue_wait(q, c, 1, 1, 5000, &n) == SGIO_OK);
  CHECK(n == 1);
  p.revents = 0;
  CHECK(poll(&p, 1, 0) == 0);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

#endif

}  // TEST_SUITE
