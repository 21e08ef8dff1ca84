// SPDX-License-Identifier: Apache-2.0
// The hazards issue 9 found in the asynchronous engine, each pinned by a test (through the static
// build): an exception under a noexcept transfer, a completion that could not be posted, cancel
// racing completions, and a queue deeper than the ring's completion queue.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sgio/sgio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "../common/scratch.hpp"
#include "async/backend.hpp"
#include "async/pool_backend.hpp"
#include "async/sync_backend.hpp"
#include "async/uring_backend.hpp"
#include "core/error.hpp"
#include "fake_sys_io.hpp"
#include "win32/completion_port.hpp"

using sgio_test_common::ScratchDir;

namespace {

// Completions counted under the backend's lock (complete() runs with it held).
struct Counter {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  bool wait_for(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(60), [&] { return done >= n; });
  }
};

struct Req final : sgio::IoRequest {
  Counter* counter = nullptr;
  std::atomic<int> calls{0};
  uint64_t bytes = 0;
  int error = -1;
  void complete(uint64_t b, int e) noexcept override {
    bytes = b;
    error = e;
    calls.fetch_add(1);
    std::lock_guard lock(counter->mu);
    ++counter->done;
    counter->cv.notify_all();
  }
};

std::shared_ptr<sgio::File> open_file(const std::string& path, bool direct) {
  sgio::OpenFlags f;
  f.create = true;
  f.direct = direct;
  return sgio::File::open(path, f);
}

std::unique_ptr<sgio::Backend> uring_or_null(unsigned depth) {
  try {
    return sgio::make_uring_backend(depth);
  } catch (const sgio::Error&) {
    return nullptr;
  }
}

// Restores the real system calls at scope exit.
struct SysIoScope {
  explicit SysIoScope(sgio::SysIo* io) { sgio::set_sys_io_for_testing(io); }
  ~SysIoScope() { sgio::set_sys_io_for_testing(nullptr); }
};

// The completion path posts without allocating, so it cannot throw inside complete().
static_assert(noexcept(std::declval<sgio::win32::CompletionPort&>().post_reserved(sgio::win32::Packet{})),
              "a completion's packet is posted into reserved room and cannot fail");
static_assert(noexcept(sgio::run_transfer(std::declval<const sgio::IoRequest&>())));

}  // namespace

TEST_SUITE("engine_hazards") {

TEST_CASE("a transfer that throws ends its request with EIO/ENOMEM, on every backend that runs transfers itself") {
  ScratchDir dir;
  auto file = open_file(dir.file("throw.bin"), false);
  std::vector<char> data(4096, 'x');
  sgio::Segment seg{reinterpret_cast<uintptr_t>(data.data()), data.size()};
  sgio_test::FakeSysIo fake;
  std::vector<std::pair<const char*, std::unique_ptr<sgio::Backend>>> backends;
  backends.emplace_back("sync", std::make_unique<sgio::SyncBackend>());
  backends.emplace_back("pool", std::make_unique<sgio::PoolBackend>(2));
  if (auto u = uring_or_null(16)) backends.emplace_back("uring (buffered write on the submitting thread)", std::move(u));
  for (auto& [name, backend] : backends) {
    CAPTURE(name);
    for (auto kind : {sgio_test::Act::throw_runtime, sgio_test::Act::throw_bad_alloc, sgio_test::Act::throw_int}) {
      fake.script = [kind](size_t, uint64_t) { return sgio_test::Act::raise(kind); };
      SysIoScope scope(&fake);
      Counter counter;
      Req r;
      r.counter = &counter;
      r.op = sgio::OpKind::write_gather;
      r.file = file;
      r.segs = &seg;
      r.count = 1;
      sgio::IoRequest* p = &r;
      backend->submit(&p, 1);  // std::terminate here before the fix
      REQUIRE(counter.wait_for(1));
      CHECK(r.calls.load() == 1);
      CHECK(r.bytes == 0);
      CHECK(r.error == (kind == sgio_test::Act::throw_bad_alloc ? ENOMEM : EIO));
    }
  }
}

TEST_CASE("a completion port's room is reserved at the start: many unread completions, none lost") {
  sgio::win32::CompletionPort port;
  constexpr int n = 5000;
  for (int i = 0; i < n; ++i) port.reserve();
  const size_t cap = port.capacity();
  CHECK(cap >= static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) port.post_reserved(sgio::win32::Packet{1, nullptr, 0, static_cast<uint32_t>(i)});
  CHECK(port.capacity() == cap);  // posting never grew it
  std::vector<sgio::win32::Packet> out(n);
  size_t got = 0;
  REQUIRE(port.dequeue(out.data(), out.size(), got, 0) == sgio::win32::CompletionPort::Dequeued::ok);
  REQUIRE(got == static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) CHECK(out[i].bytes == static_cast<uint32_t>(i));  // FIFO order
}

TEST_CASE("cancel races completions from several threads: each request ends exactly once, nothing deadlocks") {
  ScratchDir dir;
  sgio_file* f = nullptr;
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
  REQUIRE(sgio_file_open(&f, dir.file("cancel.bin").c_str(), &o) == SGIO_OK);
  void* buf = nullptr;
  REQUIRE(posix_memalign(&buf, 4096, 65536) == 0);
  std::memset(buf, 3, 65536);
  sgio_segment seg{reinterpret_cast<uintptr_t>(buf), 65536};
  for (uint32_t backend : {SGIO_BACKEND_URING, SGIO_BACKEND_POOL, SGIO_BACKEND_SYNC}) {
    CAPTURE(backend);
    sgio_queue_options qo;
    REQUIRE(sgio_queue_options_init(&qo, SGIO_QUEUE_OPTIONS_VERSION) == SGIO_OK);
    qo.backend = backend;
    qo.depth = 256;
    sgio_queue* q = nullptr;
    if (sgio_queue_create(&q, &qo) != SGIO_OK) continue;  // io_uring unavailable here
    constexpr int total = 2000;
    std::atomic<bool> stop{false};
    std::atomic<int> cancel_failures{0};
    std::vector<std::thread> cancellers;
    for (int t = 0; t < 3; ++t)
      cancellers.emplace_back([&, t] {
        uint32_t found = 0;
        for (uint64_t k = t; !stop.load(); k = (k + 3) % 16) {
          if (sgio_queue_cancel(q, k, &found) != SGIO_OK) ++cancel_failures;
          std::this_thread::yield();
        }
      });
    std::vector<int> seen(total, 0);
    int submitted = 0, finished = 0;
    while (finished < total) {
      while (submitted < total && submitted - finished < 64) {
        sgio_request r{};
        r.file = f;
        r.segments = reinterpret_cast<uintptr_t>(&seg);
        r.count = 1;
        r.op = SGIO_OP_WRITE_GATHER;
        r.offset = static_cast<uint64_t>(submitted % 64) * 65536;
        r.user_data = static_cast<uint64_t>(submitted);
        REQUIRE(sgio_queue_submit(q, &r, 1, nullptr) == SGIO_OK);
        ++submitted;
      }
      sgio_completion c[64];
      uint32_t n = 0;
      REQUIRE(sgio_queue_wait(q, c, 64, 1, 60000, &n) == SGIO_OK);
      REQUIRE(n > 0);
      for (uint32_t i = 0; i < n; ++i) {
        ++seen[c[i].user_data];
        CHECK((c[i].status == SGIO_OK || c[i].status == SGIO_ECANCELED));
        if (c[i].status == SGIO_OK) CHECK(c[i].bytes == 65536);
      }
      finished += static_cast<int>(n);
    }
    stop = true;
    for (auto& t : cancellers) t.join();
    CHECK(cancel_failures.load() == 0);
    int once = 0;
    for (int i = 0; i < total; ++i) once += seen[i] == 1;
    CHECK(once == total);
    CHECK(sgio_queue_free(q) == SGIO_OK);
  }
  free(buf);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("io_uring: a depth far above the CQ never has more requests in the ring than the CQ can hold") {
  auto backend = uring_or_null(65536);
  if (!backend) {
    MESSAGE("io_uring unavailable here");
    return;
  }
  const sgio::UringLimits limits = sgio::uring_limits(*backend);
  CHECK(limits.ring_requests * 2 + 2 <= limits.cq_entries);  // a CQE and a cancel CQE each, and a wake
  ScratchDir dir;
  auto file = open_file(dir.file("deep.bin"), false);
  std::vector<char> data(1 << 20, 'd');
  REQUIRE(::pwrite(file->fd(), data.data(), data.size(), 0) == static_cast<ssize_t>(data.size()));
  constexpr int n = 65536;
  std::vector<char> into(4096);
  sgio::Segment seg{reinterpret_cast<uintptr_t>(into.data()), into.size()};
  std::vector<Req> reqs(n);
  std::vector<sgio::IoRequest*> ptrs(n);
  Counter counter;
  for (int i = 0; i < n; ++i) {
    reqs[i].counter = &counter;
    reqs[i].op = sgio::OpKind::read_scatter;  // reads stay on the ring
    reqs[i].file = file;
    reqs[i].segs = &seg;
    reqs[i].count = 1;
    reqs[i].offset = static_cast<uint64_t>(i % 256) * 4096;
    reqs[i].key = static_cast<uint64_t>(i);
    ptrs[i] = &reqs[i];
  }
  backend->submit(ptrs.data(), ptrs.size());
  // Cancel some of the backlog and some in the ring meanwhile: their CQEs must fit too.
  for (int i = 0; i < n; i += 97) backend->cancel(&reqs[i]);
  REQUIRE(counter.wait_for(n));
  int ok = 0;
  for (auto& r : reqs) {
    CHECK(r.calls.load() == 1);
    if (r.error == 0) {
      CHECK(r.bytes == 4096);
      ++ok;
    } else {
      CHECK(r.error == ECANCELED);
    }
  }
  CHECK(ok > n / 2);
  const sgio::UringLimits after = sgio::uring_limits(*backend);
  CHECK(after.peak_in_ring <= after.ring_requests);
  CHECK(after.peak_in_ring > 0);
}

}  // TEST_SUITE
