// SPDX-License-Identifier: Apache-2.0
// The schedule behind uring_faults.hpp. One mutex: the completion thread rewrites while the test
// thread arms, and CQE rates in tests are low.
#include "async/uring_faults.hpp"

#include <algorithm>
#include <mutex>

namespace sgio::uring_faults {

namespace {

struct Schedule {
  std::mutex mu;
  std::vector<Rule> rules;
  uint64_t seen[3] = {0, 0, 0};  // indexed by OpKind
  uint64_t fired = 0;
  bool armed = false;
  uint64_t waits = 0;
  uint64_t enters = 0;
  uint64_t wait_failures = 0;
  int wait_error = 0;
};

Schedule& schedule() {
  static auto* s = new Schedule;  // never destroyed: the completion thread may outlive statics
  return *s;
}

}  // namespace

void arm(std::vector<Rule> rules) {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  s.rules = std::move(rules);
  s.seen[1] = s.seen[2] = 0;
  s.fired = 0;
  s.armed = true;
}

void disarm() {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  s.armed = false;
  s.rules.clear();
}

uint64_t fired() {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  return s.fired;
}

uint64_t seen(OpKind op) {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  return s.seen[static_cast<int>(op)];
}

int rewrite(OpKind op, int res) noexcept {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  uint64_t n = ++s.seen[static_cast<int>(op)];
  if (!s.armed) return res;
  for (const Rule& r : s.rules) {
    if (r.op != op || r.nth != n) continue;
    ++s.fired;
    if (r.result > 0) return res > 0 ? std::min(res, r.result) : res;  // short: only a real transfer
    return r.result;
  }
  return res;
}

void fail_waits(uint64_t count, int error) {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  s.wait_failures = count;
  s.wait_error = error;
}

uint64_t waits() {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  return s.waits;
}

int rewrite_wait(int rc) noexcept {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  ++s.waits;
  if (s.wait_failures == 0) return rc;
  --s.wait_failures;
  return s.wait_error;
}

uint64_t enters() {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  return s.enters;
}

void count_enter() noexcept {
  Schedule& s = schedule();
  std::lock_guard lock(s.mu);
  ++s.enters;
}

}  // namespace sgio::uring_faults
