// SPDX-License-Identifier: Apache-2.0
// An engine request for tests that drive a Backend directly: it records its completion and counts
// it in a Tracker the test waits on (bounded).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "async/request.hpp"

namespace sgio_test_common {

struct Tracker {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  bool wait_for(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(60), [&] { return done >= n; });
  }
};

struct TestRequest final : sgio::IoRequest {
  Tracker* tracker = nullptr;
  std::atomic<int> calls{0};
  uint64_t bytes = 0;
  int error = -1;
  // Runs under the backend's mutex; the tracker's is a different one.
  bool complete(uint64_t b, int e) noexcept override {
    bytes = b;
    error = e;
    calls.fetch_add(1);
    std::lock_guard lock(tracker->mu);
    ++tracker->done;
    tracker->cv.notify_all();
    return true;
  }
};

}  // namespace sgio_test_common
