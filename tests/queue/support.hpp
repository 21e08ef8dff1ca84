// SPDX-License-Identifier: Apache-2.0
// Helpers for the queue tests: a scratch directory on the build's file system, page-aligned
// buffers, and a bounded collector of completions.
#pragma once

#ifndef _WIN32
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <memory>
#include <new>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sgio/sgio.h>

#include "../common/scratch.hpp"

namespace qtest {

using sgio_test_common::ScratchDir;
using sgio_test_common::slurp;
using sgio_test_common::spit;

// One page-aligned allocation, freed on scope exit.
class Buffer {
 public:
  explicit Buffer(size_t size, int fill = 0) : size_(size) {
    p_ = ::operator new(size ? size : 1, std::align_val_t{4096});
    std::memset(p_, fill, size);
  }
  ~Buffer() { ::operator delete(p_, std::align_val_t{4096}); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  uint8_t* data() const { return static_cast<uint8_t*>(p_); }
  size_t size() const { return size_; }
  uint64_t addr(size_t off = 0) const { return reinterpret_cast<uintptr_t>(data() + off); }

 private:
  void* p_ = nullptr;
  size_t size_;
};

// The backend the test run was registered for (CTest sets SGIO_BACKEND).
inline uint32_t expected_backend() {
  const char* v = std::getenv("SGIO_BACKEND");
  std::string s = v ? v : "";
  if (s == "uring") return SGIO_BACKEND_URING;
  if (s == "pool") return SGIO_BACKEND_POOL;
  if (s == "sync") return SGIO_BACKEND_SYNC;
  return SGIO_BACKEND_AUTO;
}

inline sgio_queue* make_queue(uint32_t depth = 0) {
  sgio_queue_options o;
  REQUIRE(sgio_queue_options_init(&o, SGIO_QUEUE_OPTIONS_VERSION) == SGIO_OK);
  o.depth = depth;
  sgio_queue* q = nullptr;
  int32_t st = sgio_queue_create(&q, &o);
  INFO(sgio_last_error_message());
  REQUIRE(st == SGIO_OK);
  REQUIRE(q != nullptr);
  return q;
}

inline sgio_file* open_file(const std::string& path, bool direct, uint32_t extra = 0) {
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | extra | (direct ? SGIO_OPEN_DIRECT : 0);
  sgio_file* f = nullptr;
  int32_t st = sgio_file_open(&f, path.c_str(), &o);
  INFO(sgio_last_error_message());
  REQUIRE(st == SGIO_OK);
  return f;
}

inline sgio_request request(sgio_file* f, uint32_t op, const std::vector<sgio_segment>& segs, uint64_t offset,
                            uint64_t user_data) {
  sgio_request r{};
  r.file = f;
  r.segments = reinterpret_cast<uintptr_t>(segs.data());
  r.count = static_cast<uint32_t>(segs.size());
  r.op = op;
  r.offset = offset;
  r.user_data = user_data;
  return r;
}

// Waits until `n` completions have arrived, keyed by user_data (each must arrive once). Bounded:
// gives up (failing the test) when 60 s pass without any completion.
inline std::map<uint64_t, sgio_completion> collect(sgio_queue* q, size_t n) {
  std::map<uint64_t, sgio_completion> got;
  sgio_completion c[64];
  int idle_rounds = 0;
  while (got.size() < n) {
    uint32_t k = 0;
    REQUIRE(sgio_queue_wait(q, c, 64, 1, 1000, &k) == SGIO_OK);
    if (k == 0) {
      REQUIRE(++idle_rounds < 60);
      continue;
    }
    idle_rounds = 0;
    for (uint32_t i = 0; i < k; ++i) {
      CHECK_MESSAGE(got.count(c[i].user_data) == 0, "completion delivered twice: ", c[i].user_data);
      CHECK(c[i].reserved == 0);
      got[c[i].user_data] = c[i];
    }
  }
  return got;
}


#ifndef _WIN32
// Threads of this process, from /proc/self/task.
inline int thread_count() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}
#endif

}  // namespace qtest
