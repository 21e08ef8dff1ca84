// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness over the native face's synchronous API: sgio_file_open with any options,
// then a sequence of gather writes, scatter reads, truncates, flushes and size queries with any
// segment counts, lengths, buffer addresses and offsets (and bogus handles) on a memfd. A byte
// model of the file checks every result: a write claims at most what was asked and exactly what
// reached the file, a read returns exactly the model's bytes (overlapping segments included) and
// leaves the rest of each buffer alone, every error is a known SGIO_E* code.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"

namespace {

constexpr uint64_t kModelMax = 256 * 1024;  // valid writes stay below this offset
constexpr size_t kPool = 64 * 1024;        // source and destination buffers
constexpr uint8_t kUntouched = 0xA5;

struct State {
  sgio_file* file = nullptr;  // a memfd, adopted once; truncated to 0 at each input
  std::string path;           // for the open-options phase
  uint8_t* src = nullptr;
  uint8_t* dst = nullptr;
  sgio_file* closed = nullptr;  // a handle that was closed: must stay SGIO_EBADHANDLE
  std::vector<uint8_t> pattern;  // src is a window of it (memcpy: byte loops are slow under coverage)
};

State& state() {
  static State* s = [] {
    auto* st = new State;
    int fd = memfd_create("sgio-fuzz-native", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0, "memfd_create");
    FUZZ_CHECK(sgio_file_adopt_fd(&st->file, fd, 0) == 0, "adopt: %s", sgio_last_error_message());
    st->path = sgio_fuzz::scratch_path("native");
    static std::string path_at_exit = st->path;
    std::atexit([] { unlink(path_at_exit.c_str()); });
    st->src = static_cast<uint8_t*>(std::aligned_alloc(4096, kPool));
    st->dst = static_cast<uint8_t*>(std::aligned_alloc(4096, kPool));
    st->pattern.resize(kPool + 256 * 131);
    for (size_t i = 0; i < st->pattern.size(); ++i) st->pattern[i] = static_cast<uint8_t>(i * 131 + (i >> 8));
    int fd2 = memfd_create("sgio-fuzz-closed", MFD_CLOEXEC);
    FUZZ_CHECK(sgio_file_adopt_fd(&st->closed, fd2, 0) == 0, "adopt");
    FUZZ_CHECK(sgio_file_close(st->closed) == 0, "close");
    return st;
  }();
  return *s;
}

// Segments over `pool`, shaped by the input: mostly valid, sometimes empty, NULL or huge.
struct Shape {
  std::vector<sgio_segment> segs;
  uint64_t total = 0;
  bool invalid = false;  // a segment the contract rejects before any I/O (NULL buffer, 0 length)
  bool overflow = false; // lengths whose sum exceeds what any file can take
};

Shape make_segments(FuzzedDataProvider& in, uint8_t* pool) {
  Shape s;
  size_t n = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < n; ++i) {
    sgio_segment seg{};
    size_t at = in.ConsumeIntegralInRange<size_t>(0, kPool - 1);
    uint64_t len = in.ConsumeIntegralInRange<uint64_t>(1, std::min<uint64_t>(8192, kPool - at));
    seg.buffer = reinterpret_cast<uintptr_t>(pool + at);
    seg.length = len;
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
      case 0: seg.buffer = 0; s.invalid = true; break;
      case 1: seg.length = 0; s.invalid = true; break;
      case 2: seg.length = UINT64_MAX - in.ConsumeIntegral<uint16_t>(); s.overflow = true; break;
      default: break;
    }
    s.total += seg.length;  // wraps for the overflow shapes; only used when !overflow
    s.segs.push_back(seg);
  }
  if (n == 0) s.invalid = true;
  return s;
}

uint64_t make_offset(FuzzedDataProvider& in, bool& huge) {
  huge = in.ConsumeIntegralInRange<int>(0, 15) == 0;
  if (huge) return (uint64_t{1} << 62) + in.ConsumeIntegral<uint64_t>() % (uint64_t{1} << 62);
  return in.ConsumeIntegralInRange<uint64_t>(0, kModelMax - 1);
}

void phase_open(FuzzedDataProvider& in, State& st) {
  sgio_open_options o{};
  o.version = in.ConsumeBool() ? SGIO_OPEN_OPTIONS_VERSION : in.ConsumeIntegralInRange<uint32_t>(0, 3);
  o.flags = in.ConsumeBool() ? (in.ConsumeIntegral<uint32_t>() & 0x031Fu) : in.ConsumeIntegral<uint32_t>();
  o.mode = in.ConsumeBool() ? 0 : in.ConsumeIntegral<uint32_t>() & 0777;
  o.reserved = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? in.ConsumeIntegral<uint32_t>() : 0;
  const char* paths[] = {st.path.c_str(), "/dev/shm", "", "/dev/shm/sgio-fuzz-no-dir/x", "/dev/null"};
  const char* path = paths[in.ConsumeIntegralInRange<int>(0, 4)];
  sgio_file* f = reinterpret_cast<sgio_file*>(uintptr_t{1});
  int32_t rc = sgio_file_open(&f, path, in.ConsumeBool() ? &o : nullptr);
  FUZZ_CHECK(sgio_fuzz::valid_status(rc), "open rc %d", rc);
  if (rc != 0) {
    FUZZ_CHECK(f == nullptr, "failed open left *out set");
    FUZZ_CHECK(*sgio_last_error_message() != '\0', "no message for %d", rc);
    return;
  }
  FUZZ_CHECK(f != nullptr, "open gave NULL");
  uint32_t mem = 0, off = 0;
  FUZZ_CHECK(sgio_file_alignment(f, &mem, &off) == 0, "alignment");
  FUZZ_CHECK(mem >= 1 && off >= 1 && (mem & (mem - 1)) == 0 && (off & (off - 1)) == 0, "alignment %u %u", mem, off);
  if (off > 1) {
    // A direct file: a misaligned offset is refused before any I/O.
    sgio_segment seg{reinterpret_cast<uintptr_t>(st.src), off};
    uint64_t w = 7;
    int32_t wrc = sgio_file_write_gather(f, &seg, 1, 1, &w);
    FUZZ_CHECK(wrc == SGIO_EALIGN || wrc == SGIO_EACCES, "misaligned direct write gave %d", wrc);
    FUZZ_CHECK(w == 0, "misaligned direct write claimed %llu", (unsigned long long)w);
  }
  FUZZ_CHECK(sgio_file_close(f) == 0, "close");
  FUZZ_CHECK(sgio_file_close(f) == SGIO_EBADHANDLE, "double close");
}

void op_write(FuzzedDataProvider& in, State& st, std::vector<uint8_t>& model) {
  Shape s = make_segments(in, st.src);
  bool huge = false;
  uint64_t off = make_offset(in, huge);
  uint64_t written = UINT64_MAX;
  const sgio_segment* segs = s.segs.empty() && in.ConsumeBool() ? nullptr : s.segs.data();
  int32_t rc = sgio_file_write_gather(st.file, segs, static_cast<uint32_t>(s.segs.size()), off, &written);
  FUZZ_CHECK(sgio_fuzz::valid_status(rc), "write rc %d", rc);
  if (s.invalid || s.overflow) {
    FUZZ_CHECK(rc != 0, "an invalid gather succeeded");
    FUZZ_CHECK(written == 0, "an invalid gather claimed %llu bytes", (unsigned long long)written);
    return;
  }
  FUZZ_CHECK(written <= s.total, "claimed %llu of %llu", (unsigned long long)written, (unsigned long long)s.total);
  if (rc == 0) FUZZ_CHECK(written == s.total, "success but %llu of %llu", (unsigned long long)written, (unsigned long long)s.total);
  if (off + s.total > static_cast<uint64_t>(INT64_MAX))
    FUZZ_CHECK(rc == SGIO_EOVERFLOW && written == 0, "a write ending beyond INT64_MAX gave %d", rc);
  if (huge) {
    // Beyond the model: the file may have grown sparsely; cut it back.
    FUZZ_CHECK(sgio_file_truncate(st.file, model.size()) == 0, "truncate back");
    return;
  }
  // The written prefix, in segment order.
  if (off + written > model.size()) model.resize(off + written, 0);
  uint64_t pos = off, left = written;
  for (const sgio_segment& seg : s.segs) {
    if (left == 0) break;
    uint64_t n = std::min(left, seg.length);
    std::memcpy(model.data() + pos, reinterpret_cast<const uint8_t*>(seg.buffer), n);
    pos += n;
    left -= n;
  }
}

void op_read(FuzzedDataProvider& in, State& st, const std::vector<uint8_t>& model) {
  Shape s = make_segments(in, st.dst);
  bool huge = false;
  uint64_t off = make_offset(in, huge);
  std::memset(st.dst, kUntouched, kPool);
  uint64_t got = UINT64_MAX;
  int32_t rc = sgio_file_read_scatter(st.file, s.segs.data(), static_cast<uint32_t>(s.segs.size()), off, &got);
  FUZZ_CHECK(sgio_fuzz::valid_status(rc), "read rc %d", rc);
  if (s.invalid || s.overflow) {
    FUZZ_CHECK(rc != 0, "an invalid scatter succeeded");
    FUZZ_CHECK(got == 0, "an invalid scatter claimed %llu bytes", (unsigned long long)got);
    FUZZ_CHECK(st.dst[0] == kUntouched && std::memcmp(st.dst, st.dst + 1, kPool - 1) == 0, "an invalid scatter wrote");
    return;
  }
  if (off + s.total > static_cast<uint64_t>(INT64_MAX)) {
    FUZZ_CHECK(rc == SGIO_EOVERFLOW && got == 0, "a read ending beyond INT64_MAX gave %d, %llu bytes", rc,
               (unsigned long long)got);
    return;
  }
  FUZZ_CHECK(rc == 0, "read of a memfd failed: %d %s", rc, sgio_last_error_message());
  uint64_t expect = off >= model.size() ? 0 : std::min<uint64_t>(s.total, model.size() - off);
  FUZZ_CHECK(got == expect, "read %llu, model says %llu", (unsigned long long)got, (unsigned long long)expect);
  // The expected buffer: the model's bytes copied segment by segment, in order.
  std::vector<uint8_t> want(kPool, kUntouched);
  uint64_t pos = off, left = got;
  for (const sgio_segment& seg : s.segs) {
    if (left == 0) break;
    uint64_t n = std::min(left, seg.length);
    std::memcpy(want.data() + (reinterpret_cast<uint8_t*>(seg.buffer) - st.dst), model.data() + pos, n);
    pos += n;
    left -= n;
  }
  FUZZ_CHECK(std::memcmp(want.data(), st.dst, kPool) == 0, "scatter bytes differ from the model");
}

void op_bad_handle(FuzzedDataProvider& in, State& st) {
  sgio_file* h = nullptr;
  switch (in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0: h = st.closed; break;
    case 1: h = reinterpret_cast<sgio_file*>(static_cast<uintptr_t>(in.ConsumeIntegral<uint64_t>())); break;
    default: h = nullptr; break;
  }
  if (h == st.file) return;
  sgio_segment seg{reinterpret_cast<uintptr_t>(st.src), 16};
  uint64_t n = 99;
  int32_t rc = in.ConsumeBool() ? sgio_file_write_gather(h, &seg, 1, 0, &n) : sgio_file_read_scatter(h, &seg, 1, 0, &n);
  FUZZ_CHECK(rc == SGIO_EBADHANDLE || rc == SGIO_EINVAL, "bogus handle gave %d", rc);
  FUZZ_CHECK(n == 0, "bogus handle claimed bytes");
  uint64_t size = 0;
  FUZZ_CHECK(sgio_file_size(h, &size) == SGIO_EBADHANDLE || h == nullptr, "size on bogus handle");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State& st = state();
  FuzzedDataProvider in(data, size);
  // Distinct bytes per input and position, so a misplaced byte is always visible.
  uint8_t seed = in.ConsumeIntegral<uint8_t>();
  std::memcpy(st.src, st.pattern.data() + seed * 131, kPool);
  if (in.ConsumeBool()) phase_open(in, st);

  std::vector<uint8_t> model;
  FUZZ_CHECK(sgio_file_truncate(st.file, 0) == 0, "truncate 0");
  for (int ops = 0; ops < 32 && in.remaining_bytes() > 0; ++ops) {
    switch (in.ConsumeIntegralInRange<int>(0, 6)) {
      case 0:
      case 1: op_write(in, st, model); break;
      case 2: op_read(in, st, model); break;
      case 3: {
        uint64_t sz = in.ConsumeIntegralInRange<uint64_t>(0, kModelMax);
        FUZZ_CHECK(sgio_file_truncate(st.file, sz) == 0, "truncate");
        model.resize(sz, 0);
        break;
      }
      case 4: {
        uint64_t sz = UINT64_MAX;
        FUZZ_CHECK(sgio_file_size(st.file, &sz) == 0 && sz == model.size(), "size %llu vs %zu",
                   (unsigned long long)sz, model.size());
        FUZZ_CHECK(sgio_file_size(st.file, nullptr) == SGIO_EINVAL, "size(NULL)");
        break;
      }
      case 5: FUZZ_CHECK(sgio_file_flush(st.file) == 0, "flush"); break;
      default: op_bad_handle(in, st); break;
    }
  }
  return 0;
}
