// SPDX-License-Identifier: Apache-2.0
// The sync engine's loop (write_all / read_full / IovCursor) under a fake SysIo: short transfers at
// awkward points, EINTR, errors after progress, 0-byte writes, IOV_MAX and byte-cap splitting,
// adjacent-segment merging and the EOF rules.
#include <cstring>

#include "fake_sys_io.hpp"
#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace sgio;
using namespace sgio_test;

namespace {

// Five non-adjacent buffers of awkward sizes (1 and 3 bytes among them).
struct Gather {
  std::vector<std::vector<uint8_t>> bufs;
  std::vector<Segment> segs;
  uint64_t total = 0;
  explicit Gather(std::vector<size_t> sizes = {4096, 1, 5000, 3, 8192, 777}) {
    uint64_t seed = 1;
    for (size_t n : sizes) bufs.push_back(random_bytes(n, seed++));
    for (auto& b : bufs) {
      segs.push_back(segment(b.data(), b.size()));
      total += b.size();
    }
  }
};

// Checks that each call resumed exactly where the previous one stopped: file offset and memory.
void check_resumes(const FakeSysIo& io, const std::vector<Segment>& segs, uint64_t offset) {
  uint64_t done = 0;
  for (const Call& c : io.calls) {
    CHECK(c.offset == static_cast<int64_t>(offset + done));
    // Where byte `done` of the request lives in memory.
    uint64_t at = done;
    size_t i = 0;
    while (i < segs.size() && at >= segs[i].length) at -= segs[i++].length;
    if (i < segs.size()) CHECK(c.first == reinterpret_cast<const void*>(static_cast<uintptr_t>(segs[i].buffer + at)));
    if (c.result > 0) done += static_cast<uint64_t>(c.result);
  }
}

}  // namespace

TEST_SUITE("vector_io") {

TEST_CASE("short writes at awkward points resume exactly where they stopped") {
  Gather g;
  const std::vector<std::vector<uint64_t>> plans = {
      {1},                    // one byte per call, always
      {4095, 1, 1, 4998, 1},  // stop mid-segment, at a 1-byte segment, just before a boundary
      {4096},                 // exactly at the first segment boundary, then at odd places
      {2, 3, 5, 7, 11, 13, 4999},
  };
  for (const auto& plan : plans) {
    CAPTURE(plan[0]);
    TempFile file;
    FakeSysIo io;
    io.script = [&](size_t call, uint64_t) { return Act::cut_at(plan[call % plan.size()]); };
    Installed use(&io);
    Transfer t = write_all(file.fd(), g.segs.data(), g.segs.size(), 0);
    CHECK(t.error == 0);
    CHECK(t.bytes == g.total);
    CHECK(file.contents() == concat(g.segs));
    check_resumes(io, g.segs, 0);
  }
  sgio_test_common::reliability::tally("fault", "native/sync (SysIo fake)",
                                       "short writes at awkward points", plans.size());
}

TEST_CASE("short reads resume exactly; EINTR is retried") {
  Gather g;
  TempFile file;
  std::vector<uint8_t> data = random_bytes(g.total + 100, 99);
  REQUIRE(::pwrite(file.fd(), data.data(), data.size(), 0) == static_cast<ssize_t>(data.size()));
  for (auto& b : g.bufs) std::fill(b.begin(), b.end(), 0);
  FakeSysIo io;
  io.script = [](size_t call, uint64_t) {
    if (call % 3 == 0) return Act::error(EINTR);
    return Act::cut_at(call % 2 ? 1 : 3001);
  };
  Installed use(&io);
  Transfer t = read_full(file.fd(), g.segs.data(), g.segs.size(), 50, 1);
  CHECK(t.error == 0);
  CHECK(t.bytes == g.total);
  CHECK(concat(g.segs) == std::vector<uint8_t>(data.begin() + 50, data.begin() + 50 + g.total));
  check_resumes(io, g.segs, 50);
  sgio_test_common::reliability::tally("fault", "native/sync (SysIo fake)",
                                       "short reads and EINTR on reads", io.calls.size());
}

TEST_CASE("EINTR on writes is retried from the same place") {
  Gather g;
  TempFile file;
  FakeSysIo io;
  io.script = [](size_t call, uint64_t) {
    if (call == 0 || call == 2 || call == 3) return Act::error(EINTR);
    if (call == 1) return Act::cut_at(100);
    return Act::all();
  };
  Installed use(&io);
  Transfer t = write_all(file.fd(), g.segs.data(), g.segs.size(), 7);
  CHECK(t.error == 0);
  CHECK(t.bytes == g.total);
  REQUIRE(io.calls.size() == 5);
  CHECK(io.calls[2].offset == 7 + 100);
  CHECK(io.calls[4].offset == 7 + 100);
  std::vector<uint8_t> want(7, 0);
  std::vector<uint8_t> body = concat(g.segs);
  want.insert(want.end(), body.begin(), body.end());
  CHECK(file.contents() == want);
  sgio_test_common::reliability::tally("fault", "native/sync (SysIo fake)",
                                       "EINTR and a short write on writes", 4);
}

TEST_CASE("an error after partial progress reports the prefix; nothing more is written") {
  Gather g;
  for (int err : {EIO, ENOSPC, EFBIG, EBADF}) {
    CAPTURE(err);
    TempFile file;
    FakeSysIo io;
    io.script = [&](size_t call, uint64_t) { return call == 0 ? Act::cut_at(5000) : call == 1 ? Act::cut_at(1) : Act::error(err); };
    Installed use(&io);
    Transfer t = write_all(file.fd(), g.segs.data(), g.segs.size(), 0);
    CHECK(t.error == err);
    CHECK(t.bytes == 5001);
    CHECK(io.calls.size() == 3);  // stops at the first error: no retry of a real error
    std::vector<uint8_t> body = concat(g.segs);
    CHECK(file.contents() == std::vector<uint8_t>(body.begin(), body.begin() + 5001));
  }
  // Reads too.
  TempFile file;
  std::vector<uint8_t> data = random_bytes(g.total, 5);
  REQUIRE(::pwrite(file.fd(), data.data(), data.size(), 0) == static_cast<ssize_t>(data.size()));
  FakeSysIo io;
  io.script = [](size_t call, uint64_t) { return call == 0 ? Act::cut_at(4097) : Act::error(EIO); };
  Installed use(&io);
  Transfer t = read_full(file.fd(), g.segs.data(), g.segs.size(), 0, 1);
  CHECK(t.error == EIO);
  CHECK(t.bytes == 4097);
  sgio_test_common::reliability::tally("fault", "native/sync (SysIo fake)",
                                       "EIO/ENOSPC/EFBIG/EBADF after partial progress", 5);
}

TEST_CASE("a write that makes no progress stops with ENOSPC") {
  Gather g;
  TempFile file;
  FakeSysIo io;
  io.script = [](size_t call, uint64_t) { return call == 0 ? Act::cut_at(4096 + 1 + 10) : Act::nothing(); };
  Installed use(&io);
  Transfer t = write_all(file.fd(), g.segs.data(), g.segs.size(), 0);
  CHECK(t.error == ENOSPC);
  CHECK(t.bytes == 4107);
  CHECK(io.calls.size() == 2);
  sgio_test_common::reliability::tally("fault", "native/sync (SysIo fake)", "no progress (0-byte write)", 1);
}

TEST_CASE("IOV_MAX: no call gets more than 1024 iovecs, and the data is right") {
  for (uint64_t count : {uint64_t{1024}, uint64_t{1025}, uint64_t{4096}, uint64_t{5000}}) {
    CAPTURE(count);
    // Every other 512-byte block of one buffer: never adjacent, so never merged.
    std::vector<uint8_t> pool = random_bytes(count * 1024, count);
    std::vector<Segment> segs;
    for (uint64_t i = 0; i < count; ++i) segs.push_back(segment(pool.data() + 2 * i * 512, 512));
    TempFile file;
    FakeSysIo io;
    Installed use(&io);
    Transfer t = write_all(file.fd(), segs.data(), segs.size(), 0);
    CHECK(t.error == 0);
    CHECK(t.bytes == count * 512);
    CHECK(io.max_count() <= static_cast<uint64_t>(kIovMax));
    CHECK(io.calls.size() == (count + kIovMax - 1) / kIovMax);
    CHECK(file.contents() == concat(segs));
    // Scatter it back the same way.
    std::vector<uint8_t> back(pool.size(), 0);
    std::vector<Segment> rsegs;
    for (uint64_t i = 0; i < count; ++i) rsegs.push_back(segment(back.data() + 2 * i * 512, 512));
    io.calls.clear();
    t = read_full(file.fd(), rsegs.data(), rsegs.size(), 0, 1);
    CHECK(t.bytes == count * 512);
    CHECK(io.max_count() <= static_cast<uint64_t>(kIovMax));
    CHECK(concat(rsegs) == concat(segs));
  }
}

TEST_CASE("byte cap: no call moves more than 0x7ffff000 bytes; 64-bit totals add up") {
  // Fake addresses: the fake pretends to transfer and never touches memory.
  const uint64_t three_gib = 3ull << 30;
  std::vector<Segment> segs = {{0x100000000000ull, three_gib}, {0x200000000000ull, three_gib},
                               {0x300000000000ull, 4096}, {0x400000000000ull, three_gib}};
  const uint64_t total = 3 * three_gib + 4096;
  for (bool shortish : {false, true}) {
    CAPTURE(shortish);
    FakeSysIo io;
    // Full transfers, or each call 4095 bytes short (resume inside the cap chunk).
    io.script = [&](size_t, uint64_t asked) { return Act::fake(shortish && asked > 4095 ? asked - 4095 : asked); };
    Installed use(&io);
    Transfer t = write_all(-1, segs.data(), segs.size(), 1ull << 40);
    CHECK(t.error == 0);
    CHECK(t.bytes == total);
    CHECK(io.max_bytes() <= kMaxBytesPerCall);
    CHECK(io.max_bytes() == kMaxBytesPerCall);  // the cap is used in full, not some smaller chunk
    check_resumes(io, segs, 1ull << 40);
    uint64_t sum = 0;
    for (const Call& c : io.calls) sum += static_cast<uint64_t>(c.result);
    CHECK(sum == total);
    if (!shortish) CHECK(io.calls.size() == (total + kMaxBytesPerCall - 1) / kMaxBytesPerCall);

    io.calls.clear();
    t = read_full(-1, segs.data(), segs.size(), 0, 1);
    CHECK(t.bytes == total);
    CHECK(io.max_bytes() <= kMaxBytesPerCall);
  }
}

TEST_CASE("adjacent segments merge into one iovec; others do not") {
  std::vector<uint8_t> pool(64 * 4096);
  uint8_t* p = pool.data();
  // 8 adjacent pages, a gap, 3 adjacent pages, then a page that precedes (not follows) the last.
  std::vector<Segment> segs;
  for (int i = 0; i < 8; ++i) segs.push_back(segment(p + i * 4096, 4096));
  for (int i = 10; i < 13; ++i) segs.push_back(segment(p + i * 4096, 4096));
  segs.push_back(segment(p + 5 * 4096, 4096));
  IovCursor cur{segs.data(), segs.size()};
  std::vector<iovec> iov(kIovMax);
  int n = cur.fill(iov.data());
  REQUIRE(n == 3);
  CHECK(iov[0].iov_base == p);
  CHECK(iov[0].iov_len == 8 * 4096);
  CHECK(iov[1].iov_base == p + 10 * 4096);
  CHECK(iov[1].iov_len == 3 * 4096);
  CHECK(iov[2].iov_base == p + 5 * 4096);
  CHECK(iov[2].iov_len == 4096);

  // Resuming in the middle of a merged run starts at the exact byte.
  cur.advance(4096 * 2 + 100);
  n = cur.fill(iov.data());
  REQUIRE(n == 3);
  CHECK(iov[0].iov_base == p + 2 * 4096 + 100);
  CHECK(iov[0].iov_len == 6 * 4096 - 100);
  cur.advance(6 * 4096 - 100 + 3 * 4096 + 4096);
  CHECK(cur.done());

  // 4096 adjacent segments: one iovec, one call, even past IOV_MAX segments.
  std::vector<uint8_t> big = random_bytes(4096 * 512, 3);
  std::vector<Segment> many;
  for (int i = 0; i < 4096; ++i) many.push_back(segment(big.data() + i * 512, 512));
  TempFile file;
  FakeSysIo io;
  Installed use(&io);
  Transfer t = write_all(file.fd(), many.data(), many.size(), 0);
  CHECK(t.bytes == big.size());
  REQUIRE(io.calls.size() == 1);
  CHECK(io.calls[0].count == 1);
  CHECK(file.contents() == big);
}

TEST_CASE("EOF: 0 ends a read; a short direct read off the alignment grid is EOF") {
  std::vector<uint8_t> buf(4 * 4096);
  std::vector<Segment> segs = {segment(buf.data(), 8192), segment(buf.data() + 8192, 8192)};
  {
    FakeSysIo io;
    io.script = [](size_t, uint64_t) { return Act::fake(0); };
    Installed use(&io);
    Transfer t = read_full(-1, segs.data(), segs.size(), 0, 4096);
    CHECK(t.error == 0);
    CHECK(t.bytes == 0);
    CHECK(io.calls.size() == 1);
  }
  {
    // Buffered: a short read is not EOF; the engine asks again and 0 ends it.
    FakeSysIo io;
    io.script = [](size_t call, uint64_t) { return call == 0 ? Act::fake(100) : Act::fake(0); };
    Installed use(&io);
    Transfer t = read_full(-1, segs.data(), segs.size(), 0, 1);
    CHECK(t.bytes == 100);
    CHECK(io.calls.size() == 2);
    CHECK(io.calls[1].offset == 100);
  }
  {
    // Direct: 100 bytes leaves the position off the 4096 grid: that can only be EOF, and asking
    // again at offset 100 would fail with EINVAL. One call.
    FakeSysIo io;
    io.script = [](size_t call, uint64_t) { return call == 0 ? Act::fake(100) : Act::error(EINVAL); };
    Installed use(&io);
    Transfer t = read_full(-1, segs.data(), segs.size(), 0, 4096);
    CHECK(t.error == 0);
    CHECK(t.bytes == 100);
    CHECK(io.calls.size() == 1);
  }
  {
    // Direct, short but on the grid: not necessarily EOF; ask again.
    FakeSysIo io;
    io.script = [](size_t call, uint64_t) { return call == 0 ? Act::fake(4096) : call == 1 ? Act::fake(8192) : Act::fake(0); };
    Installed use(&io);
    Transfer t = read_full(-1, segs.data(), segs.size(), 0, 4096);
    CHECK(t.bytes == 12288);
    CHECK(io.calls.size() == 3);
  }
  {
    // Real file with a real EOF mid-request, buffered.
    TempFile file;
    std::vector<uint8_t> data = random_bytes(5000, 8);
    REQUIRE(::pwrite(file.fd(), data.data(), data.size(), 0) == 5000);
    FakeSysIo io;
    io.script = [](size_t, uint64_t) { return Act::cut_at(1000); };
    Installed use(&io);
    Transfer t = read_full(file.fd(), segs.data(), segs.size(), 0, 1);
    CHECK(t.bytes == 5000);
    CHECK(std::memcmp(buf.data(), data.data(), 5000) == 0);
  }
  sgio_test_common::reliability::tally("fault", "native/sync (SysIo fake)",
                                       "0-byte and off-grid short reads (EOF rules)", 1);
}

}  // TEST_SUITE
