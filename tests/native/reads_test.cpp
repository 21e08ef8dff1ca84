// SPDX-License-Identifier: Apache-2.0
// Scatter reads at and across end of file: the short count is reported and bytes of segments
// beyond what was read are left untouched.
#include "support.hpp"

using namespace sgio_test;

TEST_SUITE("reads") {

TEST_CASE("buffered: stop at EOF, report the short count, leave the rest untouched") {
  ScratchDir dir;
  const std::string p = dir.file("eof.bin");
  const std::vector<uint8_t> bytes = pattern(10000, 2);
  spit(p, bytes);
  sgio_file* f = open_file(p, SGIO_OPEN_READ);
  std::vector<uint8_t> mem(20000, 0xEE);
  uint8_t* m = mem.data();
  // 4 segments of 3000 bytes from offset 1000: EOF falls exactly at the end of segment 2, so
  // segment 3 gets nothing.
  sgio_segment s[4] = {seg(m, 3000), seg(m + 5000, 3000), seg(m + 9000, 3000), seg(m + 13000, 3000)};
  uint64_t n = 0;
  CHECK(sgio_file_read_scatter(f, s, 4, 1000, &n) == SGIO_OK);
  CHECK(n == 9000);
  CHECK(std::memcmp(m, bytes.data() + 1000, 3000) == 0);
  CHECK(std::memcmp(m + 5000, bytes.data() + 4000, 3000) == 0);
  CHECK(std::memcmp(m + 9000, bytes.data() + 7000, 3000) == 0);
  CHECK(std::all_of(m + 13000, m + 16000, [](uint8_t c) { return c == 0xEE; }));
  CHECK(std::all_of(m + 3000, m + 5000, [](uint8_t c) { return c == 0xEE; }));  // gaps never touched

  // EOF in the middle of a segment.
  std::fill(mem.begin(), mem.end(), 0xEE);
  CHECK(sgio_file_read_scatter(f, s, 4, 2500, &n) == SGIO_OK);
  CHECK(n == 7500);
  CHECK(std::memcmp(m, bytes.data() + 2500, 3000) == 0);
  CHECK(std::memcmp(m + 5000, bytes.data() + 5500, 3000) == 0);
  CHECK(std::memcmp(m + 9000, bytes.data() + 8500, 1500) == 0);
  CHECK(std::all_of(m + 10500, m + 12000, [](uint8_t c) { return c == 0xEE; }));
  CHECK(std::all_of(m + 13000, m + 16000, [](uint8_t c) { return c == 0xEE; }));

  // At and after EOF: 0 bytes, nothing touched.
  std::fill(mem.begin(), mem.end(), 0xEE);
  for (uint64_t off : {uint64_t{10000}, uint64_t{10001}, uint64_t{1} << 40}) {
    CAPTURE(off);
    n = 99;
    CHECK(sgio_file_read_scatter(f, s, 4, off, &n) == SGIO_OK);
    CHECK(n == 0);
  }
  CHECK(std::all_of(mem.begin(), mem.end(), [](uint8_t c) { return c == 0xEE; }));

  // Exactly to EOF.
  CHECK(sgio_file_read_scatter(f, s, 2, 4000, &n) == SGIO_OK);
  CHECK(n == 6000);
  CHECK(sgio_file_close(f) == SGIO_OK);

  // An empty file.
  spit(p, {});
  f = open_file(p, SGIO_OPEN_READ);
  n = 5;
  CHECK(sgio_file_read_scatter(f, s, 4, 0, &n) == SGIO_OK);
  CHECK(n == 0);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

TEST_CASE("direct: EOF inside a block, at a block boundary, and past the end") {
  ScratchDir dir;
  const std::string p = dir.file("eof_direct.bin");
  const uint64_t size = 3 * 4096 + 100;  // ends 100 bytes into a block
  const std::vector<uint8_t> bytes = pattern(size, 8);
  spit(p, bytes);
  sgio_file* f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_DIRECT);
  uint32_t ma = 0, oa = 0;
  REQUIRE(sgio_file_alignment(f, &ma, &oa) == SGIO_OK);
  REQUIRE(oa <= 4096);
  AlignedBuffer buf(8 * 4096, 4096);
  uint8_t* m = buf.data();
  std::memset(m, 0xEE, buf.size());
  // Six one-page segments on distinct, non-adjacent pages of the buffer.
  sgio_segment s[6];
  const uint64_t pages[6] = {0, 2, 4, 6, 1, 3};
  for (int i = 0; i < 6; ++i) s[i] = seg(m + pages[i] * 4096, 4096);
  uint64_t n = 0;
  CHECK(sgio_file_read_scatter(f, s, 6, 0, &n) == SGIO_OK);
  CHECK(n == size);
  CHECK(std::memcmp(m + 0 * 4096, bytes.data(), 4096) == 0);
  CHECK(std::memcmp(m + 2 * 4096, bytes.data() + 4096, 4096) == 0);
  CHECK(std::memcmp(m + 4 * 4096, bytes.data() + 8192, 4096) == 0);
  CHECK(std::memcmp(m + 6 * 4096, bytes.data() + 12288, 100) == 0);
  // Segments wholly past EOF are untouched.
  CHECK(std::all_of(m + 1 * 4096, m + 2 * 4096, [](uint8_t c) { return c == 0xEE; }));
  CHECK(std::all_of(m + 3 * 4096, m + 4 * 4096, [](uint8_t c) { return c == 0xEE; }));

  // From the block holding EOF: the 100 bytes.
  CHECK(sgio_file_read_scatter(f, s, 6, 3 * 4096, &n) == SGIO_OK);
  CHECK(n == 100);
  // Past EOF (aligned offsets): 0.
  std::memset(m, 0xEE, buf.size());
  for (uint64_t off : {uint64_t{4 * 4096}, uint64_t{1} << 30}) {
    CAPTURE(off);
    n = 99;
    CHECK(sgio_file_read_scatter(f, s, 6, off, &n) == SGIO_OK);
    CHECK(n == 0);
  }
  CHECK(std::all_of(m, m + buf.size(), [](uint8_t c) { return c == 0xEE; }));
  CHECK(sgio_file_close(f) == SGIO_OK);

  // A file whose size is a whole number of blocks: EOF exactly at a segment boundary.
  spit(p, std::vector<uint8_t>(bytes.begin(), bytes.begin() + 2 * 4096));
  f = open_file(p, SGIO_OPEN_READ | SGIO_OPEN_DIRECT);
  CHECK(sgio_file_read_scatter(f, s, 6, 0, &n) == SGIO_OK);
  CHECK(n == 2 * 4096);
  CHECK(std::memcmp(m + 2 * 4096, bytes.data() + 4096, 4096) == 0);
  CHECK(std::all_of(m + 4 * 4096, m + 5 * 4096, [](uint8_t c) { return c == 0xEE; }));
  CHECK(sgio_file_close(f) == SGIO_OK);
}

}  // TEST_SUITE
