// SPDX-License-Identifier: Apache-2.0
// Data integrity: random gathers at random offsets, read back with random scatters and compared
// byte for byte with an in-memory model of the file; buffered and direct. The seed is fixed and
// printed (override with SGIO_TEST_SEED=<n>) so any failure reproduces.
#include <algorithm>
#include <cinttypes>
#include <random>

#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace sgio_test;

namespace {

constexpr uint64_t kMiB = 1u << 20;
constexpr uint64_t kGoal = 256 * kMiB;       // written and verified, per mode
constexpr uint64_t kSpan = 64 * kMiB;        // file offsets stay below this
constexpr uint64_t kPool = 32 * kMiB;        // source bytes the segments point into
constexpr uint64_t kMaxPerCall = 4 * kMiB;   // bytes per gather or scatter

uint64_t test_seed() {
  const char* env = std::getenv("SGIO_TEST_SEED");
  return env && *env ? std::strtoull(env, nullptr, 0) : 0x5610C0DEull;
}

struct Rng {
  std::mt19937_64 gen;
  explicit Rng(uint64_t seed) : gen(seed) {}
  uint64_t below(uint64_t n) { return n ? gen() % n : 0; }           // [0, n)
  uint64_t range(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }  // [lo, hi]
  // 1..4096 segments, spread over every power of two so that both tiny and IOV_MAX-splitting
  // requests are common.
  uint64_t segment_count() {
    uint64_t top = uint64_t{1} << below(13);
    return range(top / 2 + 1, top);
  }
  void fill(uint8_t* p, uint64_t n) {
    uint64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t v = gen();
      std::memcpy(p + i, &v, 8);
    }
    for (; i < n; ++i) p[i] = static_cast<uint8_t>(gen());
  }
};

// Splits `total` bytes (a multiple of `unit`) into `count` or fewer segment lengths, each a
// positive multiple of `unit`.
std::vector<uint64_t> split(Rng& rng, uint64_t total, uint64_t count, uint64_t unit) {
  uint64_t units = total / unit;
  count = std::min(count, units);
  std::vector<uint64_t> cuts;
  cuts.reserve(count + 1);
  cuts.push_back(0);
  // count-1 distinct cut points in (0, units).
  std::vector<uint64_t> inner;
  while (inner.size() + 1 < count) inner.push_back(rng.range(1, units - 1));
  std::sort(inner.begin(), inner.end());
  inner.erase(std::unique(inner.begin(), inner.end()), inner.end());
  cuts.insert(cuts.end(), inner.begin(), inner.end());
  cuts.push_back(units);
  std::vector<uint64_t> lens;
  for (size_t i = 1; i < cuts.size(); ++i) lens.push_back((cuts[i] - cuts[i - 1]) * unit);
  return lens;
}

// Places segments of the given lengths in [base, base + size): a third continue right after the
// previous one (adjacent, so the engine merges them), the rest land anywhere (aligned to `unit`).
// With `disjoint`, segments never overlap (needed for scatter destinations).
std::vector<sgio_segment> place(Rng& rng, const std::vector<uint64_t>& lens, uint8_t* base, uint64_t size,
                                uint64_t unit, bool disjoint) {
  std::vector<sgio_segment> segs;
  segs.reserve(lens.size());
  uint64_t cursor = 0;
  uint64_t total = 0;
  for (uint64_t l : lens) total += l;
  uint64_t slack = size - total;  // spare room, spent on gaps when disjoint
  for (uint64_t l : lens) {
    uint64_t at;
    if (disjoint) {
      uint64_t gap = rng.below(3) == 0 ? 0 : rng.below(std::min<uint64_t>(slack, 64 * 1024) / unit + 1) * unit;
      slack -= gap;
      at = cursor + gap;
    } else if (rng.below(3) == 0 && cursor + l <= size) {
      at = cursor;
    } else {
      at = rng.below((size - l) / unit + 1) * unit;
    }
    segs.push_back(seg(base + at, l));
    cursor = at + l;
  }
  return segs;
}

struct Totals {
  uint64_t written = 0;
  uint64_t verified = 0;
  uint64_t gathers = 0;
  uint64_t segments = 0;
};

Totals run(bool direct) {
  const uint64_t seed = test_seed() ^ (direct ? 0xD1EC7ull : 0);
  MESSAGE("integrity ", std::string(direct ? "direct" : "buffered"), ": seed ", seed, " (SGIO_TEST_SEED=", test_seed(), ")");
  Rng rng(seed);
  ScratchDir dir;
  const std::string path = dir.file(direct ? "direct.bin" : "buffered.bin");
  uint32_t flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_TRUNCATE;
  if (direct) flags |= SGIO_OPEN_DIRECT;
  sgio_file* f = open_file(path, flags);
  uint32_t ma = 1, oa = 1;
  REQUIRE(sgio_file_alignment(f, &ma, &oa) == SGIO_OK);
  const uint64_t unit = direct ? std::max(ma, oa) : 1;
  if (direct) REQUIRE(unit > 1);

  AlignedBuffer pool(kPool, 4096);
  AlignedBuffer dest(kPool, 4096);
  rng.fill(pool.data(), pool.size());
  std::vector<uint8_t> model;
  Totals t;

  while (t.written < kGoal || t.verified < kGoal) {
    // Fresh source bytes in part of the pool, so rewrites of a range change its content.
    uint64_t refresh = rng.below(kPool / kMiB) * kMiB;
    rng.fill(pool.data() + refresh, kMiB);

    // --- gather write ---
    uint64_t count = rng.segment_count();
    uint64_t per_seg = std::max<uint64_t>(unit, std::min<uint64_t>(64 * 1024, kMaxPerCall / count));
    if (!direct && rng.below(4) == 0) per_seg = std::min<uint64_t>(per_seg, 16);  // tiny segments
    uint64_t total = rng.range(1, count * per_seg / unit) * unit;
    total = std::min(total, kMaxPerCall);
    std::vector<uint64_t> lens = split(rng, total, count, unit);
    std::vector<sgio_segment> segs = place(rng, lens, pool.data(), pool.size(), unit, false);
    uint64_t offset = rng.below((kSpan - total) / unit + 1) * unit;
    uint64_t n = 0;
    int32_t rc = sgio_file_write_gather(f, segs.data(), static_cast<uint32_t>(segs.size()), offset, &n);
    INFO("gather #", t.gathers, ": ", segs.size(), " segments, ", total, " bytes at ", offset, ": ",
         sgio_error_name(rc), " ", sgio_last_error_message());
    REQUIRE(rc == SGIO_OK);
    REQUIRE(n == total);
    if (model.size() < offset + total) model.resize(offset + total, 0);  // holes read as zeros
    uint64_t at = offset;
    for (const sgio_segment& s : segs) {
      std::memcpy(model.data() + at, reinterpret_cast<const void*>(static_cast<uintptr_t>(s.buffer)), s.length);
      at += s.length;
    }
    t.written += total;
    t.gathers += 1;
    t.segments += segs.size();

    // --- scatter read of a range around it, sometimes running past the end of the file ---
    uint64_t before = std::min(offset, rng.below(256 * 1024 / unit + 1) * unit);
    uint64_t roff = offset - before;
    uint64_t want = std::min<uint64_t>(kMaxPerCall, before + total + rng.below(256 * 1024 / unit + 1) * unit);
    uint64_t rcount = rng.segment_count();
    std::vector<uint64_t> rlens = split(rng, want, rcount, unit);
    std::memset(dest.data(), 0xC3, dest.size());
    std::vector<sgio_segment> rsegs = place(rng, rlens, dest.data(), dest.size(), unit, true);
    rc = sgio_file_read_scatter(f, rsegs.data(), static_cast<uint32_t>(rsegs.size()), roff, &n);
    INFO("scatter: ", rsegs.size(), " segments, ", want, " bytes at ", roff, ": ", sgio_error_name(rc), " ",
         sgio_last_error_message());
    REQUIRE(rc == SGIO_OK);
    uint64_t expect = std::min<uint64_t>(want, model.size() - roff);
    REQUIRE(n == expect);
    at = roff;
    uint64_t left = n;
    for (const sgio_segment& s : rsegs) {
      auto* p = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(s.buffer));
      uint64_t got = std::min(left, s.length);
      REQUIRE(std::memcmp(p, model.data() + at, got) == 0);
      // Bytes of the segment past what was read keep their fill. (Buffered only here: the direct
      // EOF rule has its own test in native.reads.)
      if (!direct) REQUIRE(std::all_of(p + got, p + s.length, [](uint8_t c) { return c == 0xC3; }));
      at += got;
      left -= got;
    }
    t.verified += n;
  }
  CHECK(sgio_file_close(f) == SGIO_OK);
  // Finally the whole file, read with plain pread, against the model.
  std::vector<uint8_t> disk = slurp(path);
  CHECK(disk.size() == model.size());
  CHECK(disk == model);
  t.verified += disk.size();
  MESSAGE("integrity ", std::string(direct ? "direct" : "buffered"), ": ", t.gathers, " gathers, ", t.segments, " segments, ",
          t.written / kMiB, " MiB written, ", t.verified / kMiB, " MiB verified, alignment ", unit);
  return t;
}

}  // namespace

TEST_SUITE("integrity") {

TEST_CASE("random gathers and scatters, buffered") {
  Totals t = run(false);
  CHECK(t.written >= kGoal);
  CHECK(t.verified >= kGoal);
  sgio_test_common::reliability::tally("bytes_verified", "native/sync/buffered",
                                       "random gathers and scatters against a model", t.verified);
}

TEST_CASE("random gathers and scatters, direct") {
  Totals t = run(true);
  CHECK(t.written >= kGoal);
  CHECK(t.verified >= kGoal);
  sgio_test_common::reliability::tally("bytes_verified", "native/sync/direct",
                                       "random gathers and scatters against a model", t.verified);
}

}  // TEST_SUITE
