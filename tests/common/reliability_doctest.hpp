// SPDX-License-Identifier: Apache-2.0
// record() for doctest cases that do not count their own wrong results: tally() notes what the
// running case tried, and a doctest listener writes the notes when the case ends, with `wrong` =
// the case's failed assertions (so a failing case shows up as wrong in tests/RELIABILITY.md, not
// as a clean run). A case that fails without reaching its tally() line is written as category
// "failed_case", which scripts/reliability_report.py also counts as wrong.
// Include it from the test files that call tally(); the listener registers itself once.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "reliability.hpp"

namespace sgio_test_common::reliability {

struct PendingTally {
  std::string category, path, kind;
  uint64_t tried;
};

struct PendingTallies {
  std::mutex mu;
  std::vector<PendingTally> items;
  std::string suite, name;
};

inline PendingTallies& pending_tallies() {
  static PendingTallies p;
  return p;
}

// The backend a per-backend CTest run uses (SGIO_BACKEND), for the tally's path.
inline std::string backend_label() {
  const char* b = std::getenv("SGIO_BACKEND");
  return b && *b ? b : "auto";
}

// "<face>/<backend>", the path of a tally from a per-backend suite.
inline std::string on_backend(std::string_view face) { return std::string(face) + "/" + backend_label(); }

// Notes `tried` attempts of `kind` on `path` for the running doctest case.
inline void tally(std::string_view category, std::string_view path, std::string_view kind, uint64_t tried) {
  PendingTallies& p = pending_tallies();
  std::lock_guard lock(p.mu);
  p.items.push_back({std::string(category), std::string(path), std::string(kind), tried});
}

struct TallyListener : doctest::IReporter {
  explicit TallyListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData& tc) override {
    PendingTallies& p = pending_tallies();
    std::lock_guard lock(p.mu);
    p.items.clear();
    p.suite = tc.m_test_suite ? tc.m_test_suite : "";
    p.name = tc.m_name ? tc.m_name : "";
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats& st) override {
    PendingTallies& p = pending_tallies();
    std::lock_guard lock(p.mu);
    const uint64_t failed = st.testCaseSuccess ? 0 : static_cast<uint64_t>(std::max(1, st.numAssertsFailedCurrentTest));
    // The case's failures are charged to its first tally, once.
    bool charged = false;
    for (const PendingTally& t : p.items) {
      record(t.category, t.path, t.kind, t.tried, charged ? 0 : failed);
      charged = true;
    }
    if (!charged && failed) record("failed_case", p.suite, p.name, 1, failed);
    p.items.clear();
  }
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("sgio_reliability_tally", 1, TallyListener);

}  // namespace sgio_test_common::reliability
