// SPDX-License-Identifier: Apache-2.0
// Every kind of bad input to the gather/scatter calls gets its documented code, a specific message,
// and leaves the file exactly as it was.
#include <thread>

#include "support.hpp"
#include "../common/reliability_doctest.hpp"

using namespace sgio_test;

namespace {

constexpr uint64_t kFileSize = 64 * 1024;

// A file holding known bytes, open buffered (read+write) and direct (read+write).
struct Fixture {
  ScratchDir dir;
  std::string path = dir.file("victim.bin");
  std::vector<uint8_t> original = pattern(kFileSize, 3);
  sgio_file* buffered = nullptr;
  sgio_file* direct = nullptr;
  uint32_t mem_align = 0, off_align = 0;
  AlignedBuffer buf{1u << 20};

  Fixture() {
    spit(path, original);
    buffered = open_file(path, SGIO_OPEN_READ | SGIO_OPEN_WRITE);
    direct = open_file(path, SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_DIRECT);
    REQUIRE(sgio_file_alignment(direct, &mem_align, &off_align) == SGIO_OK);
    std::memset(buf.data(), 0x5A, buf.size());
  }
  ~Fixture() {
    CHECK(sgio_file_close(buffered) == SGIO_OK);
    CHECK(sgio_file_close(direct) == SGIO_OK);
  }
  void check_unchanged() const {
    std::vector<uint8_t> now = slurp(path);
    CHECK(now.size() == original.size());
    CHECK(now == original);
  }
};

}  // namespace

TEST_SUITE("bad_input") {

TEST_CASE("NULL, empty and zero-length segment arguments") {
  Fixture fx;
  uint8_t* b = fx.buf.data();
  for (sgio_file* f : {fx.buffered, fx.direct}) {
    const bool direct = f == fx.direct;
    CAPTURE(direct);
    uint64_t n = 777;
    sgio_segment one = seg(b, 4096);
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, nullptr, 1, 0, &n), SGIO_EINVAL, "segment array is NULL");
    CHECK(n == 0);
    n = 777;
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, nullptr, 1, 0, &n), SGIO_EINVAL, "segment array is NULL");
    CHECK(n == 0);
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, &one, 0, 0, &n), SGIO_EINVAL, "count is 0");
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, &one, 0, 0, &n), SGIO_EINVAL, "count is 0");

    // The bad segment is the last one, so a library that wrote segment by segment would have
    // changed the file before noticing.
    sgio_segment zero_len[3] = {seg(b, 4096), seg(b + 4096, 4096), seg(b + 8192, 0)};
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, zero_len, 3, 0, &n), SGIO_EINVAL, "segment 2");
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, zero_len, 3, 0, &n), SGIO_EINVAL, "length 0");
    CHECK(n == 0);
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, zero_len, 3, 0, &n), SGIO_EINVAL, "segment 2");
    sgio_segment null_buf[3] = {seg(b, 4096), sgio_segment{0, 4096}, seg(b + 8192, 4096)};
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, null_buf, 3, 0, &n), SGIO_EINVAL, "segment 1");
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, null_buf, 3, 0, &n), SGIO_EINVAL, "NULL buffer");
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, null_buf, 3, 0, &n), SGIO_EINVAL, "NULL buffer");
    CHECK(n == 0);
    fx.check_unchanged();
  }
  // The read buffers were not touched either.
  bool untouched = true;
  for (uint64_t i = 0; i < fx.buf.size(); ++i) untouched = untouched && fx.buf.data()[i] == 0x5A;
  CHECK(untouched);
  sgio_test_common::reliability::tally("bad_input", "native", "NULL, empty and zero-length segments", 2);
}

TEST_CASE("NULL out-parameters") {
  Fixture fx;
  SGIO_CHECK_FAILS(sgio_file_size(fx.buffered, nullptr), SGIO_EINVAL, "out_size is NULL");
  SGIO_CHECK_FAILS(sgio_file_fd(fx.buffered, nullptr), SGIO_EINVAL, "out_fd is NULL");
  sgio_open_options o = options(SGIO_OPEN_READ);
  SGIO_CHECK_FAILS(sgio_file_open(nullptr, fx.path.c_str(), &o), SGIO_EINVAL, "out is NULL");
  sgio_file* f = reinterpret_cast<sgio_file*>(uintptr_t{0x40});
  SGIO_CHECK_FAILS(sgio_file_open(&f, nullptr, &o), SGIO_EINVAL, "path is NULL");
  CHECK(f == nullptr);
  SGIO_CHECK_FAILS(sgio_file_adopt_fd(nullptr, 0, 0), SGIO_EINVAL, "out is NULL");
  SGIO_CHECK_FAILS(sgio_open_options_init(nullptr, SGIO_OPEN_OPTIONS_VERSION), SGIO_EINVAL, "opts is NULL");
  // out_written / out_read and the alignment outputs are optional.
  sgio_segment s = seg(fx.original.data(), 100);
  CHECK(sgio_file_write_gather(fx.buffered, &s, 1, 0, nullptr) == SGIO_OK);
  CHECK(sgio_file_read_scatter(fx.buffered, &s, 1, 0, nullptr) == SGIO_OK);
  CHECK(sgio_file_alignment(fx.buffered, nullptr, nullptr) == SGIO_OK);
  fx.check_unchanged();  // wrote back the same first 100 bytes
  sgio_test_common::reliability::tally("bad_input", "native", "NULL out-parameters", 1);
}

TEST_CASE("totals and end offsets beyond INT64_MAX") {
  Fixture fx;
  uint8_t* b = fx.buf.data();
  const uint64_t i64max = static_cast<uint64_t>(INT64_MAX);
  for (sgio_file* f : {fx.buffered, fx.direct}) {
    CAPTURE(f == fx.direct);
    uint64_t n = 777;
    // Aligned lengths, so that a direct file reaches the overflow check rather than EALIGN.
    const uint64_t big = i64max - (i64max % 4096) - 4096 * 3;  // sums past INT64_MAX with 4 pages
    sgio_segment sum_over[3] = {seg(b, 4096), seg(b, big), seg(b + 4096, 4096 * 4)};
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, sum_over, 3, 0, &n), SGIO_EOVERFLOW, "total length overflows");
    CHECK(n == 0);
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, sum_over, 3, 0, &n), SGIO_EOVERFLOW, "segment 2");
    // Lengths that wrap uint64_t: 2^63 + 2^63 == 0 would look tiny to a naive sum.
    const uint64_t half = uint64_t{1} << 63;
    sgio_segment wrap[2] = {seg(b, half), seg(b, half)};
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, wrap, 2, 0, &n), SGIO_EOVERFLOW, "overflow");
    // offset + total past INT64_MAX.
    const uint64_t near_end = i64max - (i64max % 4096) - 4096;  // aligned; 4096 bytes left, minus 1
    sgio_segment two_pages[2] = {seg(b, 4096), seg(b + 4096, 4096)};
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, two_pages, 2, near_end, &n), SGIO_EOVERFLOW, "beyond INT64_MAX");
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, two_pages, 2, near_end, &n), SGIO_EOVERFLOW, "beyond INT64_MAX");
    // An offset that is itself beyond INT64_MAX.
    SGIO_CHECK_FAILS(sgio_file_write_gather(f, two_pages, 1, half, &n), SGIO_EOVERFLOW, "beyond INT64_MAX");
    SGIO_CHECK_FAILS(sgio_file_read_scatter(f, two_pages, 1, UINT64_MAX - 4095, &n), SGIO_EOVERFLOW,
                     "beyond INT64_MAX");
    CHECK(n == 0);
    fx.check_unchanged();
  }
  sgio_test_common::reliability::tally("bad_input", "native", "totals and end offsets beyond INT64_MAX", 1);
}

TEST_CASE("misaligned buffers, lengths and offsets on a direct file") {
  Fixture fx;
  REQUIRE(fx.mem_align > 1);
  REQUIRE(fx.off_align > 1);
  MESSAGE("direct alignment: memory ", fx.mem_align, ", offset/length ", fx.off_align);
  uint8_t* b = fx.buf.data();
  const uint64_t oa = fx.off_align;
  uint64_t n = 777;
  // Misaligned buffer address in the last segment.
  sgio_segment bad_addr[2] = {seg(b, oa), seg(b + oa + fx.mem_align / 2, oa)};
  SGIO_CHECK_FAILS(sgio_file_write_gather(fx.direct, bad_addr, 2, 0, &n), SGIO_EALIGN, "segment 1");
  SGIO_CHECK_FAILS(sgio_file_read_scatter(fx.direct, bad_addr, 2, 0, &n), SGIO_EALIGN, "not aligned");
  sgio_segment odd_addr = seg(b + 1, oa);
  SGIO_CHECK_FAILS(sgio_file_write_gather(fx.direct, &odd_addr, 1, 0, &n), SGIO_EALIGN, "segment 0");
  // Misaligned length (total would still be aligned: oa/2 + oa/2).
  sgio_segment bad_len[3] = {seg(b, oa), seg(b + oa, oa / 2), seg(b + 2 * oa, oa / 2)};
  SGIO_CHECK_FAILS(sgio_file_write_gather(fx.direct, bad_len, 3, 0, &n), SGIO_EALIGN, "segment 1");
  SGIO_CHECK_FAILS(sgio_file_read_scatter(fx.direct, bad_len, 3, 0, &n), SGIO_EALIGN, "segment 1");
  // Misaligned offset.
  sgio_segment good = seg(b, oa);
  SGIO_CHECK_FAILS(sgio_file_write_gather(fx.direct, &good, 1, oa / 2, &n), SGIO_EALIGN, "offset");
  SGIO_CHECK_FAILS(sgio_file_read_scatter(fx.direct, &good, 1, 1, &n), SGIO_EALIGN, "offset 1 ");
  CHECK(n == 0);
  fx.check_unchanged();
  // The same requests are fine on the buffered handle of the same file (any alignment).
  std::memcpy(b + 1, fx.original.data() + oa / 2, oa);
  odd_addr = seg(b + 1, oa);
  CHECK(sgio_file_write_gather(fx.buffered, &odd_addr, 1, oa / 2, &n) == SGIO_OK);
  CHECK(n == oa);
  fx.check_unchanged();
  uint32_t m = 0, o = 0;
  CHECK(sgio_file_alignment(fx.buffered, &m, &o) == SGIO_OK);
  CHECK(m == 1);
  CHECK(o == 1);
  sgio_test_common::reliability::tally("bad_input", "native",
                                       "misaligned buffers, lengths and offsets (direct)", 1);
}

TEST_CASE("closed and made-up handles") {
  Fixture fx;
  sgio_file* closed = open_file(fx.path, SGIO_OPEN_READ | SGIO_OPEN_WRITE);
  REQUIRE(sgio_file_close(closed) == SGIO_OK);
  // A new file may reuse the slot; the stale handle must still be refused.
  sgio_file* reuse = open_file(fx.path, SGIO_OPEN_READ);
  CHECK(reuse != closed);
  uint8_t* b = fx.buf.data();
  sgio_segment s = seg(b, 4096);
  const uintptr_t made_up[] = {4, 8, 0x1000, 0x7ffffffc, 0xdeadbeef, 0x12345678abcdull, UINTPTR_MAX,
                               UINTPTR_MAX - 3, 1, 2, 3};
  std::vector<sgio_file*> bad{closed};
  for (uintptr_t v : made_up) bad.push_back(reinterpret_cast<sgio_file*>(v));
  for (sgio_file* h : bad) {
    CAPTURE(reinterpret_cast<uintptr_t>(h));
    uint64_t n = 777, size = 0;
    int64_t fd = -7;
    uint32_t m = 0, o = 0;
    SGIO_CHECK_FAILS(sgio_file_write_gather(h, &s, 1, 0, &n), SGIO_EBADHANDLE, "handle");
    CHECK(n == 0);
    SGIO_CHECK_FAILS(sgio_file_read_scatter(h, &s, 1, 0, &n), SGIO_EBADHANDLE, "handle");
    SGIO_CHECK_FAILS(sgio_file_size(h, &size), SGIO_EBADHANDLE, "handle");
    SGIO_CHECK_FAILS(sgio_file_truncate(h, 0), SGIO_EBADHANDLE, "handle");
    SGIO_CHECK_FAILS(sgio_file_flush(h), SGIO_EBADHANDLE, "handle");
    SGIO_CHECK_FAILS(sgio_file_fd(h, &fd), SGIO_EBADHANDLE, "handle");
    CHECK(fd == -7);
    SGIO_CHECK_FAILS(sgio_file_alignment(h, &m, &o), SGIO_EBADHANDLE, "handle");
    SGIO_CHECK_FAILS(sgio_file_close(h), SGIO_EBADHANDLE, "handle");
  }
  CHECK(sgio_file_close(nullptr) == SGIO_OK);
  // The reused slot's live handle still works.
  uint64_t size = 0;
  CHECK(sgio_file_size(reuse, &size) == SGIO_OK);
  CHECK(size == kFileSize);
  CHECK(sgio_file_close(reuse) == SGIO_OK);
  fx.check_unchanged();
  sgio_test_common::reliability::tally("bad_input", "native", "closed and made-up handles", bad.size());
}

TEST_CASE("access mode: no reads on write-only, no writes or truncation on read-only") {
  Fixture fx;
  sgio_file* ro = open_file(fx.path, SGIO_OPEN_READ);
  sgio_file* wo = open_file(fx.path, SGIO_OPEN_WRITE);
  sgio_file* ro_direct = open_file(fx.path, SGIO_OPEN_READ | SGIO_OPEN_DIRECT);
  uint8_t* b = fx.buf.data();
  sgio_segment s[2] = {seg(b, 4096), seg(b + 8192, 4096)};
  uint64_t n = 777;
  SGIO_CHECK_FAILS(sgio_file_write_gather(ro, s, 2, 0, &n), SGIO_EACCES, "not open for writing");
  CHECK(n == 0);
  SGIO_CHECK_FAILS(sgio_file_write_gather(ro_direct, s, 2, 0, &n), SGIO_EACCES, "not open for writing");
  SGIO_CHECK_FAILS(sgio_file_truncate(ro, 0), SGIO_EACCES, "not open for writing");
  std::memset(b, 0x5A, 16384);
  SGIO_CHECK_FAILS(sgio_file_read_scatter(wo, s, 2, 0, &n), SGIO_EACCES, "not open for reading");
  CHECK(n == 0);
  CHECK(b[0] == 0x5A);
  CHECK(sgio_file_read_scatter(ro, s, 2, 0, &n) == SGIO_OK);
  CHECK(n == 8192);
  CHECK(std::memcmp(b, fx.original.data(), 4096) == 0);
  CHECK(std::memcmp(b + 8192, fx.original.data() + 4096, 4096) == 0);
  CHECK(sgio_file_close(ro) == SGIO_OK);
  CHECK(sgio_file_close(wo) == SGIO_OK);
  CHECK(sgio_file_close(ro_direct) == SGIO_OK);
  fx.check_unchanged();
  sgio_test_common::reliability::tally("bad_input", "native", "wrong access mode", 1);
}

}  // TEST_SUITE
