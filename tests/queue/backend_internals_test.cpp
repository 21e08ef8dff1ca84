// SPDX-License-Identifier: Apache-2.0
// The engine's backends directly (sgio_static): every backend moves the same bytes as the sync
// engine, completes each request exactly once, and tears down with requests in flight.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "../common/counted_request.hpp"
#include "async/backend.hpp"
#include "async/pool_backend.hpp"
#include "async/uring_backend.hpp"
#include "core/error.hpp"

using namespace sgio;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("SGIO_TEST_TMPDIR");
    std::string t = std::string(base ? base : "/tmp") + "/sgio-backend-XXXXXX";
    std::vector<char> buf(t.begin(), t.end());
    buf.push_back('\0');
    REQUIRE(mkdtemp(buf.data()) != nullptr);
    path = buf.data();
  }
  ~TempDir() {
    std::string cmd = "rm -rf '" + path + "'";
    (void)std::system(cmd.c_str());
  }
};

using sgio_test_common::TestRequest;
using sgio_test_common::Tracker;

std::shared_ptr<File> open_file(const std::string& path, bool direct) {
  OpenFlags f;
  f.create = true;
  f.direct = direct;
  return File::open(path, f);
}

std::vector<BackendKind> kinds_here() {
  std::vector<BackendKind> k{BackendKind::sync, BackendKind::pool};
  try {
    make_backend(BackendKind::uring, 64);
    k.push_back(BackendKind::uring);
  } catch (const Error&) {
    MESSAGE("io_uring unavailable here: its cases are skipped");
  }
  return k;
}

// Writes `nreq` gathers of varying segment counts through `backend`, then reads them back through
// it and compares.
void round_trip(Backend& backend, const std::shared_ptr<File>& file, int nreq, uint64_t seg_len) {
  std::vector<std::vector<char>> bufs;
  std::vector<std::vector<Segment>> segs(nreq);
  std::vector<TestRequest> reqs(nreq);
  Tracker tr;
  std::vector<void*> aligned;
  uint64_t offset = 0;
  std::vector<uint64_t> offsets(nreq);
  for (int r = 0; r < nreq; ++r) {
    int nseg = 1 + (r * 37) % 64;
    for (int s = 0; s < nseg; ++s) {
      void* p = nullptr;
      REQUIRE(posix_memalign(&p, 4096, seg_len) == 0);
      std::memset(p, (r * 7 + s) & 0xff, seg_len);
      aligned.push_back(p);
      segs[r].push_back({reinterpret_cast<uintptr_t>(p), seg_len});
    }
    offsets[r] = offset;
    reqs[r].op = OpKind::write_gather;
    reqs[r].file = file;
    reqs[r].segs = segs[r].data();
    reqs[r].count = segs[r].size();
    reqs[r].offset = offset;
    reqs[r].tracker = &tr;
    offset += nseg * seg_len;
  }
  std::vector<IoRequest*> ptrs;
  for (auto& r : reqs) ptrs.push_back(&r);
  backend.submit(ptrs.data(), ptrs.size());
  REQUIRE(tr.wait_for(nreq));
  for (int r = 0; r < nreq; ++r) {
    CHECK(reqs[r].calls.load() == 1);
    CHECK(reqs[r].error == 0);
    CHECK(reqs[r].bytes == reqs[r].count * seg_len);
  }
  // Read back into fresh buffers.
  std::vector<void*> back;
  std::vector<std::vector<Segment>> rsegs(nreq);
  std::vector<TestRequest> rreqs(nreq);
  Tracker rt;
  for (int r = 0; r < nreq; ++r) {
    for (uint64_t s = 0; s < reqs[r].count; ++s) {
      void* p = nullptr;
      REQUIRE(posix_memalign(&p, 4096, seg_len) == 0);
      std::memset(p, 0xEE, seg_len);
      back.push_back(p);
      rsegs[r].push_back({reinterpret_cast<uintptr_t>(p), seg_len});
    }
    rreqs[r].op = OpKind::read_scatter;
    rreqs[r].file = file;
    rreqs[r].segs = rsegs[r].data();
    rreqs[r].count = rsegs[r].size();
    rreqs[r].offset = offsets[r];
    rreqs[r].tracker = &rt;
  }
  ptrs.clear();
  for (auto& r : rreqs) ptrs.push_back(&r);
  backend.submit(ptrs.data(), ptrs.size());
  REQUIRE(rt.wait_for(nreq));
  for (int r = 0; r < nreq; ++r) {
    CHECK(rreqs[r].error == 0);
    CHECK(rreqs[r].bytes == rreqs[r].count * seg_len);
    for (uint64_t s = 0; s < rreqs[r].count; ++s)
      CHECK(std::memcmp(reinterpret_cast<void*>(rsegs[r][s].buffer), reinterpret_cast<void*>(segs[r][s].buffer),
                        seg_len) == 0);
  }
  for (void* p : aligned) free(p);
  for (void* p : back) free(p);
}

}  // namespace

TEST_CASE("backend names and environment override") {
  CHECK(std::string(backend_name(BackendKind::uring)) == "uring");
  CHECK(std::string(backend_name(BackendKind::pool)) == "pool");
  CHECK(std::string(backend_name(BackendKind::sync)) == "sync");
  const char* saved = std::getenv("SGIO_BACKEND");
  std::string keep = saved ? saved : "";
  setenv("SGIO_BACKEND", "sync", 1);
  CHECK(backend_from_env() == BackendKind::sync);
  CHECK(make_backend(BackendKind::automatic, 8)->kind() == BackendKind::sync);
  // An explicit request wins over the environment.
  CHECK(make_backend(BackendKind::pool, 8)->kind() == BackendKind::pool);
  setenv("SGIO_BACKEND", "pool", 1);
  CHECK(make_backend(BackendKind::automatic, 8)->kind() == BackendKind::pool);
  setenv("SGIO_BACKEND", "bogus", 1);
  CHECK(!backend_from_env().has_value());
  if (saved)
    setenv("SGIO_BACKEND", keep.c_str(), 1);
  else
    unsetenv("SGIO_BACKEND");
}

TEST_CASE("every backend writes and reads back gathers, buffered and direct") {
  TempDir dir;
  for (BackendKind k : kinds_here()) {
    for (bool direct : {false, true}) {
      CAPTURE(backend_name(k));
      CAPTURE(direct);
      auto backend = make_backend(k, 64);
      REQUIRE(backend->kind() == k);
      auto file = open_file(dir.path + "/f-" + backend_name(k) + (direct ? "-d" : "-b"), direct);
      round_trip(*backend, file, 48, 4096);
    }
  }
}

TEST_CASE("io_uring: every buffered-write path moves the same bytes") {
  TempDir dir;
  std::unique_ptr<Backend> probe;
  try {
    probe = make_uring_backend(8);
  } catch (const Error&) {
    MESSAGE("io_uring unavailable here");
    return;
  }
  probe.reset();
  for (BufferedWritePath path : {BufferedWritePath::inline_small, BufferedWritePath::worker, BufferedWritePath::ring}) {
    CAPTURE(static_cast<int>(path));
    auto backend = make_uring_backend(64, path);
    auto file = open_file(dir.path + "/p" + std::to_string(static_cast<int>(path)), false);
    round_trip(*backend, file, 24, 4096);
    // Up to 64 segments of 32 KiB: some requests exceed the 1 MiB inline limit (worker path).
    round_trip(*backend, file, 4, 32768);
  }
}

TEST_CASE("pool: a request that has not started is cancelled with ECANCELED; unknown requests are not found") {
  TempDir dir;
  auto file = open_file(dir.path + "/c", false);
  PoolBackend pool(1);
  constexpr int n = 64;
  std::vector<std::vector<char>> data(n, std::vector<char>(1 << 16, 'x'));
  std::vector<Segment> segs(n);
  std::vector<TestRequest> reqs(n);
  Tracker tr;
  std::vector<IoRequest*> ptrs;
  for (int i = 0; i < n; ++i) {
    segs[i] = {reinterpret_cast<uintptr_t>(data[i].data()), data[i].size()};
    reqs[i].op = OpKind::write_gather;
    reqs[i].file = file;
    reqs[i].segs = &segs[i];
    reqs[i].count = 1;
    reqs[i].offset = uint64_t(i) << 16;
    reqs[i].tracker = &tr;
    ptrs.push_back(&reqs[i]);
  }
  pool.submit(ptrs.data(), n);
  // With one worker, the last request is very likely still queued; either way it must end once.
  bool found = pool.cancel(&reqs[n - 1]);
  REQUIRE(tr.wait_for(n));
  TestRequest other;
  CHECK_FALSE(pool.cancel(&other));
  for (auto& r : reqs) CHECK(r.calls.load() == 1);
  if (found) CHECK((reqs[n - 1].error == ECANCELED || reqs[n - 1].error == 0));
  if (reqs[n - 1].error == ECANCELED) CHECK(reqs[n - 1].bytes == 0);
  CHECK(pool.thread_count() == 1);
}

TEST_CASE("destroying a backend with requests in flight completes every one of them first") {
  TempDir dir;
  for (BackendKind k : kinds_here()) {
    CAPTURE(backend_name(k));
    auto file = open_file(dir.path + "/d-" + backend_name(k), true);
    constexpr int n = 32;
    std::vector<void*> bufs(n);
    std::vector<Segment> segs(n);
    std::vector<TestRequest> reqs(n);
    Tracker tr;
    std::vector<IoRequest*> ptrs;
    for (int i = 0; i < n; ++i) {
      REQUIRE(posix_memalign(&bufs[i], 4096, 1 << 16) == 0);
      std::memset(bufs[i], i, 1 << 16);
      segs[i] = {reinterpret_cast<uintptr_t>(bufs[i]), 1 << 16};
      reqs[i].op = OpKind::write_gather;
      reqs[i].file = file;
      reqs[i].segs = &segs[i];
      reqs[i].count = 1;
      reqs[i].offset = uint64_t(i) << 16;
      reqs[i].tracker = &tr;
      ptrs.push_back(&reqs[i]);
    }
    {
      auto backend = make_backend(k, 64);
      backend->submit(ptrs.data(), n);
    }  // destructor: cancels and waits
    CHECK(tr.done == n);
    for (auto& r : reqs) {
      CHECK(r.calls.load() == 1);
      CHECK((r.error == 0 || r.error == ECANCELED));
      if (r.error == 0) CHECK(r.bytes == (1u << 16));
    }
    for (void* p : bufs) free(p);
  }
}
