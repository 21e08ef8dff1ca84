// SPDX-License-Identifier: Apache-2.0
// Which path should the io_uring backend give buffered writes? Runs the same QD1 and QD32 random
// 16x4 KiB buffered gather writes through: the io_uring ring itself, the io_uring backend's worker
// set (its default), the pool backend, and the sync backend (pwritev inline). Internal: links
// sgio_static to reach make_uring_backend(..., BufferedWritePath).
//
//   sgio_bench_buffered_path [dir] [seconds-per-run] [file-MiB]
//
// Fill pattern (it changes buffered-write speed; see design notes): the file is written once
// sequentially with 1 MiB buffered writes and fdatasync'ed; the runs then overwrite random
// 64 KiB-aligned ranges of it, so the page cache holds the whole file.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "async/backend.hpp"
#include "async/uring_backend.hpp"

using namespace sgio;

namespace {

constexpr uint64_t kReq = 64 * 1024;

struct Slot final : IoRequest {
  std::mutex* mu;
  std::condition_variable* cv;
  std::vector<Slot*>* done;
  uint64_t got = 0;
  int err = 0;
  std::vector<Segment> storage;
  bool complete(uint64_t b, int e) noexcept override {
    got = b;
    err = e;
    std::lock_guard lock(*mu);
    done->push_back(this);
    cv->notify_one();
    return true;
  }
};

double run(Backend& backend, const std::shared_ptr<File>& file, uint64_t file_bytes, int qd, double seconds,
           uint8_t* mem) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Slot*> done;
  std::vector<Slot> slots(qd);
  std::mt19937_64 rng(42);
  uint64_t nslots = file_bytes / kReq;
  for (int s = 0; s < qd; ++s) {
    Slot& sl = slots[s];
    sl.mu = &mu;
    sl.cv = &cv;
    sl.done = &done;
    for (int p = 0; p < 16; ++p)  // every other page: no two segments adjacent
      sl.storage.push_back({reinterpret_cast<uintptr_t>(mem + size_t(s) * 2 * kReq + size_t(p) * 8192), 4096});
    sl.op = OpKind::write_gather;
    sl.file = file;
    sl.storage.shrink_to_fit();
    sl.segs = sl.storage.data();
    sl.count = 16;
  }
  auto start = std::chrono::steady_clock::now();
  auto end = start + std::chrono::duration<double>(seconds);
  uint64_t bytes = 0;
  std::vector<IoRequest*> batch;
  for (auto& s : slots) {
    s.offset = (rng() % nslots) * kReq;
    batch.push_back(&s);
  }
  backend.submit(batch.data(), batch.size());
  int inflight = qd;
  while (inflight > 0) {
    std::vector<Slot*> got;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !done.empty(); });
      got.swap(done);
    }
    inflight -= static_cast<int>(got.size());
    batch.clear();
    bool more = std::chrono::steady_clock::now() < end;
    for (Slot* s : got) {
      if (s->err) {
        std::fprintf(stderr, "write failed: %s\n", std::strerror(s->err));
        std::exit(1);
      }
      bytes += s->got;
      if (more) {
        s->offset = (rng() % nslots) * kReq;
        batch.push_back(s);
      }
    }
    if (!batch.empty()) {
      backend.submit(batch.data(), batch.size());
      inflight += static_cast<int>(batch.size());
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return double(bytes) / secs / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : ".";
  double seconds = argc > 2 ? std::atof(argv[2]) : 3;
  uint64_t file_bytes = (argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 256) << 20;
  std::string path = dir + "/sgio-bench-buffered.dat";
  OpenFlags fl;
  fl.create = true;
  fl.truncate = true;
  auto file = File::open(path, fl);
  {
    std::vector<uint8_t> fill(1 << 20, 0xa5);
    Segment s{reinterpret_cast<uintptr_t>(fill.data()), fill.size()};
    for (uint64_t off = 0; off < file_bytes; off += fill.size()) {
      uint64_t w;
      file->write_gather(&s, 1, off, w);
    }
    file->flush();
  }
  void* mem = nullptr;
  if (posix_memalign(&mem, 4096, 64 * 2 * kReq)) return 1;
  std::memset(mem, 0x3c, 64 * 2 * kReq);
  std::printf("buffered random 16x4 KiB gather writes over a %llu MiB page-cached file, %.0f s per run (best of 2)\n",
              static_cast<unsigned long long>(file_bytes >> 20), seconds);
  std::printf("%-42s %12s %12s\n", "path", "QD1 MB/s", "QD32 MB/s");
  struct Case {
    const char* name;
    std::unique_ptr<Backend> (*make)();
  } cases[] = {
      {"io_uring ring (IORING_OP_WRITEV)", [] { return make_uring_backend(64, BufferedWritePath::ring); }},
      {"io_uring backend: pwritev on the submitting thread (default)", [] { return make_uring_backend(64, BufferedWritePath::inline_small); }},
      {"io_uring backend: worker set", [] { return make_uring_backend(64, BufferedWritePath::worker); }},
      {"pool backend", [] { return make_backend(BackendKind::pool, 64); }},
      {"sync backend (pwritev inline)", [] { return make_backend(BackendKind::sync, 64); }},
  };
  for (const Case& c : cases) {
    double r[2];
    int i = 0;
    for (int qd : {1, 32}) {
      double best = 0;
      for (int rep = 0; rep < 2; ++rep) {
        auto b = c.make();
        best = std::max(best, run(*b, file, file_bytes, qd, seconds, static_cast<uint8_t*>(mem)));
      }
      r[i++] = best;
    }
    std::printf("%-42s %12.1f %12.1f\n", c.name, r[0], r[1]);
    std::fflush(stdout);
  }
  std::free(mem);
  std::remove(path.c_str());
  return 0;
}
