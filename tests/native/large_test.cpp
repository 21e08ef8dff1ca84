// SPDX-License-Identifier: Apache-2.0
// One gather of 2.5 GiB, beyond the kernel's per-call cap of 0x7ffff000 bytes: proves 64-bit totals
// and the split at the cap (which falls in the middle of a segment). The source is one 64 MiB
// buffer repeated in every segment, so the test needs little memory for the write.
#include <sys/mman.h>

#include "support.hpp"

using namespace sgio_test;

namespace {

constexpr uint64_t kChunk = 64ull << 20;
constexpr uint32_t kRepeats = 40;  // 40 x 64 MiB = 2.5 GiB
constexpr uint64_t kTotal = kChunk * kRepeats;
constexpr uint64_t kOffset = (4ull << 30) + 3 * 4096;  // past 4 GiB, after a sparse hole

// Position-dependent words, so that a chunk resumed at the wrong place cannot match.
void fill_words(uint8_t* p, uint64_t n) {
  for (uint64_t i = 0; i < n / 8; ++i) {
    uint64_t v = (i + 1) * 0x9E3779B97F4A7C15ull;
    std::memcpy(p + 8 * i, &v, 8);
  }
}

}  // namespace

TEST_SUITE("large") {

TEST_CASE("a 2.5 GiB gather and scatter, split at the per-call byte cap") {
  static_assert(kTotal > 0x7ffff000ull, "must exceed the per-call cap");
  ScratchDir dir;
  const std::string path = dir.file("large.bin");
  sgio_file* f = open_file(path, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_TRUNCATE);
  AlignedBuffer src(kChunk);
  fill_words(src.data(), kChunk);

  std::vector<sgio_segment> segs(kRepeats, seg(src.data(), kChunk));
  uint64_t n = 0;
  int32_t rc = sgio_file_write_gather(f, segs.data(), kRepeats, kOffset, &n);
  INFO(sgio_error_name(rc), " ", sgio_last_error_message());
  REQUIRE(rc == SGIO_OK);
  CHECK(n == kTotal);
  uint64_t size = 0;
  CHECK(sgio_file_size(f, &size) == SGIO_OK);
  CHECK(size == kOffset + kTotal);
  MESSAGE("wrote ", kTotal, " bytes in one gather of ", kRepeats, " segments at offset ", kOffset);

  // Check the file with plain pread, chunk by chunk.
  {
    AlignedBuffer check(kChunk);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    for (uint32_t i = 0; i < kRepeats; ++i) {
      uint64_t got = 0;
      while (got < kChunk) {
        ssize_t r = ::pread(fd, check.data() + got, kChunk - got, static_cast<off_t>(kOffset + i * kChunk + got));
        REQUIRE(r > 0);
        got += static_cast<uint64_t>(r);
      }
      INFO("chunk ", i);
      REQUIRE(std::memcmp(check.data(), src.data(), kChunk) == 0);
    }
    uint8_t hole[4096];
    REQUIRE(::pread(fd, hole, sizeof hole, 1 << 20) == static_cast<ssize_t>(sizeof hole));
    CHECK(std::all_of(hole, hole + sizeof hole, [](uint8_t c) { return c == 0; }));
    ::close(fd);
  }

  // Read it back with one scatter into distinct, non-adjacent destinations (a page apart, so the
  // engine cannot merge them and the cap split really lands inside a segment).
  const uint64_t stride = kChunk + 4096;
  AlignedBuffer dst(stride * kRepeats);
  std::vector<sgio_segment> rsegs;
  for (uint32_t i = 0; i < kRepeats; ++i) rsegs.push_back(seg(dst.data() + i * stride, kChunk));
  // One more segment that lies past EOF: must stay untouched.
  std::vector<uint8_t> tail(4096, 0xEE);
  rsegs.push_back(seg(tail.data(), tail.size()));
  rc = sgio_file_read_scatter(f, rsegs.data(), static_cast<uint32_t>(rsegs.size()), kOffset, &n);
  INFO(sgio_error_name(rc), " ", sgio_last_error_message());
  REQUIRE(rc == SGIO_OK);
  CHECK(n == kTotal);
  for (uint32_t i = 0; i < kRepeats; ++i) {
    INFO("segment ", i);
    REQUIRE(std::memcmp(dst.data() + i * stride, src.data(), kChunk) == 0);
    const uint8_t* gap = dst.data() + i * stride + kChunk;
    REQUIRE(std::all_of(gap, gap + 4096, [](uint8_t c) { return c == 0; }));
  }
  CHECK(std::all_of(tail.begin(), tail.end(), [](uint8_t c) { return c == 0xEE; }));
  CHECK(sgio_file_close(f) == SGIO_OK);
}

}  // TEST_SUITE
