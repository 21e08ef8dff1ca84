// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness over the native queue: batches of gather writes and scatter reads with any
// shapes (valid and not: bogus handles, NULL or empty segment arrays, unknown ops, reserved bits,
// misaligned direct I/O), optional cancels, then waits for every accepted request. Checks: a
// submit accepts a prefix and says why it stopped with a known SGIO_E* code; every accepted
// request completes exactly once, within a timeout, with its own user_data, a known status and
// no more bytes than it asked; successful transfers match a byte model of the file (requests of
// one batch use disjoint file ranges and buffers, so the model is exact); the file matches the
// model at the end. Runs on every backend (io_uring, pool, sync), buffered (memfd) and direct
// (a tmpfs file with O_DIRECT).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"

namespace {

constexpr size_t kSlots = 8;                 // requests per batch at most
constexpr uint64_t kSlotBytes = 16 * 1024;   // file range and buffer space of one slot
constexpr uint64_t kFileSize = kSlots * kSlotBytes;
constexpr uint64_t kUnit = 4096;             // segment granule on the direct file

struct Target {
  sgio_file* file = nullptr;
  int verify_fd = -1;  // a buffered descriptor for checking the contents
  bool direct = false;
};

struct State {
  sgio_queue* queues[3] = {};  // uring (if the kernel allows), pool, sync
  Target targets[2];           // buffered memfd, direct tmpfs file (if O_DIRECT works)
  uint8_t* src = nullptr;      // kFileSize bytes: slot i writes from [i*kSlotBytes, ...)
  uint8_t* dst = nullptr;
  std::vector<uint8_t> pattern;  // 2 x kFileSize bytes; src is a window of it (memcpy, not a loop)
  std::string path;
};

State& state() {
  static State* s = [] {
    auto* st = new State;
    uint32_t backends[3] = {SGIO_BACKEND_URING, SGIO_BACKEND_POOL, SGIO_BACKEND_SYNC};
    for (int i = 0; i < 3; ++i) {
      sgio_queue_options o;
      sgio_queue_options_init(&o, SGIO_QUEUE_OPTIONS_VERSION);
      o.depth = 16;
      o.backend = backends[i];
      if (sgio_queue_create(&st->queues[i], &o) != 0) st->queues[i] = nullptr;
    }
    FUZZ_CHECK(st->queues[1] != nullptr, "pool queue: %s", sgio_last_error_message());
    int fd = memfd_create("sgio-fuzz-queue", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0 && sgio_file_adopt_fd(&st->targets[0].file, fd, 0) == 0, "adopt");
    st->targets[0].verify_fd = fd;
    st->path = sgio_fuzz::scratch_path("queue");
    sgio_open_options o;
    sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
    o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
    if (sgio_file_open(&st->targets[1].file, st->path.c_str(), &o) == 0) {
      st->targets[1].verify_fd = open(st->path.c_str(), O_RDONLY | O_CLOEXEC);
      st->targets[1].direct = true;
      uint32_t mem = 0, off = 0;
      sgio_file_alignment(st->targets[1].file, &mem, &off);
      if (mem > kUnit || off > kUnit) {  // coarser than the harness's granule: leave it out
        sgio_file_close(st->targets[1].file);
        st->targets[1] = Target{};
      }
    }
    static std::string path_at_exit = st->path;
    std::atexit([] { unlink(path_at_exit.c_str()); });
    void* p = nullptr;
    FUZZ_CHECK(sgio_aligned_alloc(&p, kFileSize, 0) == 0, "alloc");
    st->src = static_cast<uint8_t*>(p);
    FUZZ_CHECK(sgio_aligned_alloc(&p, kFileSize, 0) == 0, "alloc");
    st->dst = static_cast<uint8_t*>(p);
    st->pattern.resize(2 * kFileSize);
    for (uint64_t i = 0; i < 2 * kFileSize; ++i) st->pattern[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
    return st;
  }();
  return *s;
}

struct Pending {
  uint64_t user_data;
  uint32_t op;
  uint64_t offset;
  uint64_t asked;
  std::vector<sgio_segment> segs;
  bool done = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State& st = state();
  FuzzedDataProvider in(data, size);
  sgio_queue* q = st.queues[in.ConsumeIntegralInRange<int>(0, 2)];
  if (q == nullptr) q = st.queues[1];
  bool want_direct = in.ConsumeBool();
  Target& t = want_direct && st.targets[1].file ? st.targets[1] : st.targets[0];
  const uint64_t unit = t.direct ? kUnit : 1;

  // Fresh contents: the file is kFileSize bytes of zeros; known[i] says the model is exact there.
  FUZZ_CHECK(sgio_file_truncate(t.file, 0) == 0 && sgio_file_truncate(t.file, kFileSize) == 0, "truncate");
  std::vector<uint8_t> model(kFileSize, 0);
  std::vector<uint8_t> known(kFileSize, 1);
  // The model is exact over [pos, pos+n) when no byte there is unknown.
  auto all_known = [&](uint64_t pos, uint64_t n) { return std::memchr(known.data() + pos, 0, n) == nullptr; };
  uint8_t seed = in.ConsumeIntegral<uint8_t>();

  uint64_t next_user_data = 1;
  for (int batch = 0; batch < 4 && in.remaining_bytes() > 0; ++batch) {
    std::memcpy(st.src, st.pattern.data() + (seed + batch * 61) % kFileSize, kFileSize);
    std::memset(st.dst, 0x5A, kFileSize);
    size_t n = in.ConsumeIntegralInRange<size_t>(0, kSlots);
    std::vector<Pending> reqs(n);
    std::vector<sgio_request> raw(n);
    bool expect_stop = false;  // a request the contract rejects at submit
    size_t first_bad = n;
    for (size_t i = 0; i < n; ++i) {
      Pending& p = reqs[i];
      p.user_data = next_user_data++;
      p.op = in.ConsumeBool() ? SGIO_OP_WRITE_GATHER : SGIO_OP_READ_SCATTER;
      // Slot i: file range [i*kSlotBytes, +kSlotBytes); the last slot's reads cross end of file.
      uint64_t base = i * kSlotBytes;
      size_t nsegs = in.ConsumeIntegralInRange<size_t>(1, 6);
      uint64_t at = 0;  // bytes of the slot used so far (buffers and file range alike)
      uint8_t* pool = p.op == SGIO_OP_WRITE_GATHER ? st.src : st.dst;
      for (size_t k = 0; k < nsegs && at < kSlotBytes; ++k) {
        uint64_t gap = in.ConsumeIntegralInRange<uint64_t>(0, 2) * unit;
        uint64_t len = in.ConsumeIntegralInRange<uint64_t>(1, 4) * (t.direct ? unit : in.ConsumeIntegralInRange<uint64_t>(1, 1500));
        if (at + gap + len > kSlotBytes) {
          if (k > 0) break;
          gap = 0;  // every request has at least one segment
          len = std::min(len, kSlotBytes);
        }
        p.segs.push_back({reinterpret_cast<uintptr_t>(pool + base + at + gap), len});
        at += gap + len;
        p.asked += len;
      }
      p.offset = base + in.ConsumeIntegralInRange<uint64_t>(0, 3) * unit;
      if (p.offset + p.asked > base + kSlotBytes) p.offset = base;
      if (i == kSlots - 1 && p.op == SGIO_OP_READ_SCATTER) p.offset += kSlotBytes / 2;  // crosses EOF
      if (i == kSlots - 1 && p.op == SGIO_OP_WRITE_GATHER) p.op = SGIO_OP_READ_SCATTER;  // keep the size fixed
      sgio_request& r = raw[i];
      r = sgio_request{t.file, reinterpret_cast<uintptr_t>(p.segs.data()), static_cast<uint32_t>(p.segs.size()),
                       p.op, p.offset, p.user_data, 0};
      bool bad = true;
      switch (in.ConsumeIntegralInRange<int>(0, 23)) {
        case 0: r.file = nullptr; break;
        case 1:
          r.file = reinterpret_cast<sgio_file*>(static_cast<uintptr_t>(in.ConsumeIntegral<uint64_t>() | 1));
          // The fuzzer may learn a live handle's value from comparisons; that one is not bogus.
          if (r.file == st.targets[0].file || r.file == st.targets[1].file) r.file = nullptr;
          break;
        case 2: r.segments = 0; break;
        case 3: r.count = 0; break;
        case 4: r.op = in.ConsumeIntegral<uint32_t>() | 4; break;
        case 5: r.reserved = in.ConsumeIntegral<uint64_t>() | 1; break;
        case 6:
          if (!t.direct) { bad = false; break; }
          r.offset += 1;  // misaligned direct offset
          break;
        default: bad = false; break;
      }
      if (r.segments == 0 && r.count == 0) r.count = 1;
      if (bad && !expect_stop) {
        expect_stop = true;
        first_bad = i;
      }
    }
    uint32_t submitted = UINT32_MAX;
    int32_t rc = sgio_queue_submit(q, raw.data(), static_cast<uint32_t>(n), &submitted);
    FUZZ_CHECK(sgio_fuzz::valid_status(rc), "submit rc %d", rc);
    FUZZ_CHECK(submitted <= n, "submitted %u of %zu", submitted, n);
    if (rc == 0) FUZZ_CHECK(submitted == n && !expect_stop, "submit accepted a bad request (first bad %zu)", first_bad);
    if (rc != 0) {
      FUZZ_CHECK(rc != SGIO_EBUSY || submitted < n, "EBUSY with everything accepted");
      if (rc != SGIO_EBUSY) FUZZ_CHECK(submitted == first_bad, "stopped at %u, first bad is %zu (rc %d: %s)", submitted, first_bad, rc, sgio_last_error_message());
    }

    // Optional cancels of accepted requests (and of user_data nobody used).
    std::vector<bool> cancelled(n, false);
    int ncancel = in.ConsumeIntegralInRange<int>(0, 2);
    for (int c = 0; c < ncancel; ++c) {
      uint64_t ud = in.ConsumeIntegralInRange<uint64_t>(0, next_user_data + 2);
      uint32_t found = UINT32_MAX;
      FUZZ_CHECK(sgio_queue_cancel(q, ud, &found) == 0, "cancel");
      FUZZ_CHECK(found <= 1, "cancel found %u", found);
      for (size_t i = 0; i < submitted; ++i)
        if (reqs[i].user_data == ud) cancelled[i] = true;
    }

    // Every accepted request completes once, within 10 s.
    size_t outstanding = submitted;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (outstanding > 0) {
      sgio_completion out[kSlots];
      uint32_t got = 0;
      FUZZ_CHECK(sgio_queue_wait(q, out, kSlots, 1, 1000, &got) == 0, "wait");
      FUZZ_CHECK(got <= kSlots, "wait count");
      FUZZ_CHECK(got > 0 || std::chrono::steady_clock::now() < deadline, "%zu requests never completed", outstanding);
      for (uint32_t k = 0; k < got; ++k) {
        const sgio_completion& c = out[k];
        auto it = std::find_if(reqs.begin(), reqs.begin() + submitted, [&](const Pending& p) { return p.user_data == c.user_data; });
        FUZZ_CHECK(it != reqs.begin() + submitted, "completion for unknown user_data %llu", (unsigned long long)c.user_data);
        FUZZ_CHECK(!it->done, "user_data %llu completed twice", (unsigned long long)c.user_data);
        it->done = true;
        --outstanding;
        size_t idx = static_cast<size_t>(it - reqs.begin());
        FUZZ_CHECK(sgio_fuzz::valid_status(c.status), "completion status %d", c.status);
        FUZZ_CHECK(c.bytes <= it->asked, "completion claims %llu of %llu", (unsigned long long)c.bytes, (unsigned long long)it->asked);
        if (c.status == SGIO_ECANCELED) FUZZ_CHECK(cancelled[idx], "ECANCELED without a cancel");
        if (it->op == SGIO_OP_WRITE_GATHER) {
          if (c.status == 0) FUZZ_CHECK(c.bytes == it->asked, "write succeeded short: %llu of %llu", (unsigned long long)c.bytes, (unsigned long long)it->asked);
          else FUZZ_CHECK(c.status == SGIO_ECANCELED, "write on a healthy file failed: %d", c.status);
          // The written prefix is known; what follows is unknown after a failure.
          uint64_t pos = it->offset, left = c.bytes;
          for (const sgio_segment& s : it->segs) {
            uint64_t m = std::min(left, s.length);
            std::memcpy(model.data() + pos, reinterpret_cast<const uint8_t*>(s.buffer), m);
            pos += m;
            left -= m;
          }
          if (c.status != 0)
            std::memset(known.data() + it->offset + c.bytes, 0, it->asked - c.bytes);
        } else {
          uint64_t avail = it->offset >= kFileSize ? 0 : kFileSize - it->offset;
          uint64_t expect = std::min(it->asked, avail);
          if (c.status == 0) FUZZ_CHECK(c.bytes == expect, "read %llu, model says %llu", (unsigned long long)c.bytes, (unsigned long long)expect);
          else FUZZ_CHECK(c.status == SGIO_ECANCELED, "read on a healthy file failed: %d", c.status);
          uint64_t pos = it->offset, left = c.bytes;
          for (const sgio_segment& s : it->segs) {
            uint64_t m = std::min(left, s.length);
            const uint8_t* b = reinterpret_cast<const uint8_t*>(s.buffer);
            if (all_known(pos, m))
              FUZZ_CHECK(std::memcmp(b, model.data() + pos, m) == 0, "read bytes at %llu differ", (unsigned long long)pos);
            else
              for (uint64_t j = 0; j < m; ++j)
                FUZZ_CHECK(!known[pos + j] || b[j] == model[pos + j], "read byte at %llu differs", (unsigned long long)(pos + j));
            pos += m;
            left -= m;
          }
        }
      }
    }
    // Nothing else may arrive.
    sgio_completion extra;
    uint32_t got = 1;
    FUZZ_CHECK(sgio_queue_wait(q, &extra, 1, 0, 0, &got) == 0 && got == 0, "stray completion");
  }

  // The file itself matches the model where the model is exact.
  std::vector<uint8_t> file(kFileSize);
  ssize_t r = pread(t.verify_fd, file.data(), kFileSize, 0);
  FUZZ_CHECK(r == static_cast<ssize_t>(kFileSize), "pread %zd", r);
  if (all_known(0, kFileSize))
    FUZZ_CHECK(std::memcmp(file.data(), model.data(), kFileSize) == 0, "the file differs from the model");
  else
    for (uint64_t i = 0; i < kFileSize; ++i)
      FUZZ_CHECK(!known[i] || file[i] == model[i], "file byte %llu differs from the model", (unsigned long long)i);
  return 0;
}
