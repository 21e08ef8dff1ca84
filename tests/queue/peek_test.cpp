// SPDX-License-Identifier: Apache-2.0
// sgio_queue_submit_and_peek: the submitting thread takes back its own requests that ended inside
// the call (buffered writes on io_uring, everything on SYNC) and completions already waiting;
// nothing is delivered twice, nothing is lost, and a blocked waiter gets only the rest.
#include <atomic>
#include <set>
#include <thread>

#include "support.hpp"

using namespace qtest;

namespace {

// Backends on which a buffered write up to 1 MiB always ends inside the submitting call.
bool buffered_writes_end_inside() {
#ifdef _WIN32
  return false;  // the completion port completes everything
#else
  const uint32_t b = expected_backend();
  return b == SGIO_BACKEND_URING || b == SGIO_BACKEND_SYNC;
#endif
}

struct Gathers {
  static constexpr size_t kPages = 16;
  Buffer mem;
  std::vector<std::vector<sgio_segment>> segs;
  explicit Gathers(size_t n) : mem(n * kPages * 4096) {
    for (size_t i = 0; i < mem.size(); ++i) mem.data()[i] = static_cast<uint8_t>(i * 7 + i / 4096);
    for (size_t r = 0; r < n; ++r) {
      segs.emplace_back();
      for (size_t p = 0; p < kPages; ++p) segs.back().push_back({mem.addr((r * kPages + p) * 4096), 4096});
    }
  }
  uint64_t bytes_per_request() const { return kPages * 4096; }
  // The file at `path` holds every request's bytes, request r at r * bytes_per_request().
  void expect_on_disk(const std::string& path) const {
    std::vector<uint8_t> disk = slurp(path);
    REQUIRE(disk.size() == mem.size());
    CHECK(std::memcmp(disk.data(), mem.data(), disk.size()) == 0);
  }
};

}  // namespace

TEST_SUITE("peek") {

TEST_CASE("buffered writes come back to the submitting thread, once, with their bytes on disk") {
  ScratchDir dir;
  std::string path = dir.file("peek");
  sgio_file* f = open_file(path, false);
  sgio_queue* q = make_queue();
  constexpr size_t n = 4;
  Gathers g(n);
  std::vector<sgio_request> reqs;
  for (size_t r = 0; r < n; ++r)
    reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, g.segs[r], r * g.bytes_per_request(), 100 + r));
  sgio_completion out[8];
  uint32_t submitted = 99, count = 99;
  REQUIRE(sgio_queue_submit_and_peek(q, reqs.data(), n, &submitted, out, 8, &count) == SGIO_OK);
  CHECK(submitted == n);
  if (buffered_writes_end_inside()) CHECK(count == n);
  std::map<uint64_t, sgio_completion> got;
  for (uint32_t i = 0; i < count; ++i) got[out[i].user_data] = out[i];
  CHECK(got.size() == count);
  // The rest (pool, Windows) arrive through sgio_queue_wait; none is delivered twice.
  for (auto& [k, c] : collect(q, n - count)) {
    CHECK_MESSAGE(got.count(k) == 0, "completion delivered twice: ", k);
    got[k] = c;
  }
  REQUIRE(got.size() == n);
  for (size_t r = 0; r < n; ++r) {
    CHECK(got[100 + r].status == SGIO_OK);
    CHECK(got[100 + r].bytes == g.bytes_per_request());
    CHECK(got[100 + r].reserved == 0);
  }
  uint32_t left = 99;
  sgio_completion extra[4];
  CHECK(sgio_queue_wait(q, extra, 4, 0, 0, &left) == SGIO_OK);
  CHECK(left == 0);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
  g.expect_on_disk(path);
}

TEST_CASE("own completions beyond max_count, and earlier ones, go through the queue as usual") {
  ScratchDir dir;
  sgio_file* f = open_file(dir.file("room"), false);
  sgio_queue* q = make_queue();
  Gathers g(4);
  // One completion waiting in the queue before the call.
  sgio_request first = request(f, SGIO_OP_WRITE_GATHER, g.segs[0], 0, 1);
  uint32_t submitted = 0;
  REQUIRE(sgio_queue_submit(q, &first, 1, &submitted) == SGIO_OK);
  if (buffered_writes_end_inside()) {
    // Three more with room for one: this call's own first, then none of the rest fits.
    std::vector<sgio_request> reqs;
    for (uint64_t r = 1; r < 4; ++r) reqs.push_back(request(f, SGIO_OP_WRITE_GATHER, g.segs[r], r * g.bytes_per_request(), 1 + r));
    sgio_completion out[1];
    uint32_t count = 0;
    REQUIRE(sgio_queue_submit_and_peek(q, reqs.data(), 3, &submitted, out, 1, &count) == SGIO_OK);
    CHECK(submitted == 3);
    REQUIRE(count == 1);
    CHECK(out[0].user_data == 2);  // its own, before the one already waiting
    std::map<uint64_t, sgio_completion> rest = collect(q, 3);
    CHECK(rest.count(1) == 1);
    CHECK(rest.count(3) == 1);
    CHECK(rest.count(4) == 1);
  }
  // With room and nothing of its own ending inside (max_count covers the waiting one).
  std::map<uint64_t, sgio_completion> seen;
  if (!buffered_writes_end_inside()) seen = collect(q, 1);
  sgio_completion out[4];
  uint32_t count = 99;
  REQUIRE(sgio_queue_submit_and_peek(q, nullptr, 0, &submitted, out, 4, &count) == SGIO_OK);
  CHECK(submitted == 0);
  CHECK(count == 0);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("a thread blocked in sgio_queue_wait gets only what the submitter did not take back") {
  ScratchDir dir;
  std::string path = dir.file("split");
  sgio_file* f = open_file(path, false);
  sgio_queue* q = make_queue();
  constexpr size_t n = 8;
  Gathers g(n);
  std::atomic<bool> stop{false};
  std::vector<uint64_t> waited;  // the waiter's; read after join
  std::atomic<size_t> waited_n{0};
  std::thread waiter([&] {
    sgio_completion c[16];
    while (!stop.load()) {
      uint32_t k = 0;
      if (sgio_queue_wait(q, c, 16, 1, 50, &k) != SGIO_OK) return;
      for (uint32_t i = 0; i < k; ++i) waited.push_back(c[i].user_data);
      waited_n.fetch_add(k);
    }
  });
  std::set<uint64_t> taken;
  for (size_t r = 0; r < n; ++r) {
    sgio_request req = request(f, SGIO_OP_WRITE_GATHER, g.segs[r], r * g.bytes_per_request(), 500 + r);
    sgio_completion out[2];
    uint32_t submitted = 0, count = 0;
    REQUIRE(sgio_queue_submit_and_peek(q, &req, 1, &submitted, out, 2, &count) == SGIO_OK);
    REQUIRE(submitted == 1);
    for (uint32_t i = 0; i < count; ++i) {
      CHECK(out[i].status == SGIO_OK);
      CHECK(taken.insert(out[i].user_data).second);
    }
  }
  // Everything ends up on exactly one side.
  for (int spins = 0; spins < 400; ++spins) {
    if (taken.size() + waited_n.load() >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop.store(true);
  waiter.join();
  std::set<uint64_t> all(taken);
  for (uint64_t u : waited) CHECK_MESSAGE(all.insert(u).second, "completion delivered twice: ", u);
  CHECK(all.size() == n);
  if (buffered_writes_end_inside()) CHECK(taken.size() == n);
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
  g.expect_on_disk(path);
}

TEST_CASE("submit_and_peek: bad arguments are refused, a refused request still returns the ones before it") {
  ScratchDir dir;
  std::string path = dir.file("bad");
  sgio_file* f = open_file(path, false);
  sgio_queue* q = make_queue();
  Gathers g(2);
  sgio_request reqs[2] = {request(f, SGIO_OP_WRITE_GATHER, g.segs[0], 0, 7),
                          request(f, SGIO_OP_WRITE_GATHER, g.segs[1], g.bytes_per_request(), 8)};
  sgio_completion out[4];
  uint32_t submitted = 99, count = 99;
  CHECK(sgio_queue_submit_and_peek(q, reqs, 2, &submitted, out, 4, nullptr) == SGIO_EINVAL);
  CHECK(submitted == 0);
  CHECK(sgio_queue_submit_and_peek(q, reqs, 2, &submitted, nullptr, 4, &count) == SGIO_EINVAL);
  CHECK(submitted == 0);
  CHECK(count == 0);
  CHECK(std::string(sgio_last_error_message()).find("out is NULL") != std::string::npos);
  CHECK(slurp(path).empty());  // nothing was submitted
  CHECK(sgio_queue_submit_and_peek(nullptr, reqs, 2, &submitted, out, 4, &count) == SGIO_EBADHANDLE);
  CHECK(count == 0);
  // The second request is refused (reserved field); the first was accepted and may be back.
  reqs[1].reserved = 1;
  CHECK(sgio_queue_submit_and_peek(q, reqs, 2, &submitted, out, 4, &count) == SGIO_EINVAL);
  CHECK(submitted == 1);
  if (buffered_writes_end_inside()) {
    REQUIRE(count == 1);
    CHECK(out[0].user_data == 7);
    CHECK(out[0].bytes == g.bytes_per_request());
  } else {
    CHECK(collect(q, 1 - count).size() == 1 - count);
  }
  CHECK(sgio_queue_free(q) == SGIO_OK);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

}  // TEST_SUITE
