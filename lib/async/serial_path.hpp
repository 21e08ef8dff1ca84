// SPDX-License-Identifier: Apache-2.0
// The serial caller: one request at a time, waited for at once (a log writer's WriteFileGather +
// GetOverlappedResult(bWait=TRUE), or sgio_queue_submit + sgio_queue_wait). Such a caller sleeps
// until its request ends whatever the engine does, so the ring only adds work: on ext4 an
// asynchronous O_DIRECT write completes through a kworker and then io_uring's task work, where a
// synchronous pwritev completes in the caller's context. Measured with bench/run_all.sh on an
// idle machine (bench/README.md, "Issue 9 targets"): a raw liburing QD1 WRITEV loop reached
// 0.85x of pwritev, sgio's ring path 0.72-0.80x. The io_uring backend therefore runs a serial
// caller's request on the caller's thread (the synchronous engine), and goes back to the ring as
// soon as the pattern breaks.
//
// The pattern, per backend: the last kStreak requests each started alone (nothing else in
// flight) and a thread began waiting for it within kPromptNs of its submission; once inline, each
// further request must again start alone, after someone looked for the previous result (a wait
// began, or a finished OVERLAPPED was read), so a burst of submissions without waits goes to the
// ring from its second request on. A caller that overlaps work with its I/O (waits later than
// kPromptNs) never leaves the ring. Correctness never depends on this: either path gives the same
// results; only where the time goes differs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sgio {

class IoRequest;

class SerialPath {
 public:
  // Any thread, any lock: a thread starts looking for a result.
  void result_sought() noexcept {
    sought_.store(true, std::memory_order_relaxed);
    const int64_t since = lone_since_.load(std::memory_order_relaxed);
    if (since != 0 && now_ns() - since <= kPromptNs) prompt_.store(true, std::memory_order_relaxed);
  }

  // Under the backend's mutex. `r` is about to start with nothing else in flight: true to run it
  // on the calling thread.
  bool start_alone_locked() noexcept {
    if (streak_ < kStreak) return false;
    if (sought_.exchange(false, std::memory_order_relaxed)) return true;
    streak_ = 0;  // the previous inline result was not looked for before this submission: a burst
    return false;
  }
  // Under the mutex, after `r` (alone) went to the ring.
  void started_on_ring_locked(const IoRequest* r) noexcept {
    lone_ = r;
    prompt_.store(false, std::memory_order_relaxed);
    lone_since_.store(now_ns(), std::memory_order_relaxed);
  }
  // Under the mutex: a submission while others are in flight, or of several at once.
  void started_crowded_locked() noexcept {
    streak_ = 0;
    forget_lone();
  }
  // Under the mutex: `r` ended on the ring.
  void ended_on_ring_locked(const IoRequest* r) noexcept {
    if (r != lone_) return;
    if (prompt_.load(std::memory_order_relaxed)) {
      if (streak_ < kStreak) ++streak_;
    } else {
      streak_ = 0;
    }
    forget_lone();
  }
  bool serial_locked() const noexcept { return streak_ >= kStreak; }

 private:
  static constexpr unsigned kStreak = 8;
  static constexpr int64_t kPromptNs = 20'000;

  static int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  void forget_lone() noexcept {
    lone_ = nullptr;
    lone_since_.store(0, std::memory_order_relaxed);
  }

  // Under the mutex.
  unsigned streak_ = 0;
  const IoRequest* lone_ = nullptr;
  // Read by result_sought() without the mutex.
  std::atomic<int64_t> lone_since_{0};  // steady_clock ns when lone_ went to the ring, 0 if none
  std::atomic<bool> prompt_{false};     // a wait began within kPromptNs of that
  std::atomic<bool> sought_{true};      // a result was looked for since the last inline start
};

}  // namespace sgio
