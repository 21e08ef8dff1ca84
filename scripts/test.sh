#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test: the full build (C/C++, C#, Java suites) under CTest, then sgio.dll cross-built for
# Windows x64 with its suites under Wine (preset mingw), then the C/C++ suites again
# under AddressSanitizer+UBSan and under ThreadSanitizer, and cross-built for linux-aarch64 under
# qemu-user (preset aarch64), then the libFuzzer harnesses briefly (preset fuzz). Ends with one "total: N passed, N failed"
# line; exits non-zero if any test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
sgio_install_deps
sgio_env

# "fuzz" runs each libFuzzer harness for SGIO_FUZZ_SECONDS (15 s) from its seed corpus.
# "mingw" cross-builds sgio.dll for Windows x64 and runs its suites under Wine (about 1 minute).
presets=(default mingw asan tsan aarch64 fuzz)
[[ $# -gt 0 ]] && presets=("$@")

# Every test that injects faults, tries bad input, tortures or verifies bytes appends tally lines
# here (tests/common/reliability.hpp); scripts/reliability_report.py turns them into the report.
mkdir -p build
export SGIO_RELIABILITY_LOG=$PWD/build/reliability.log
: >"$SGIO_RELIABILITY_LOG"

passed=0 failed=0 status=0
for preset in "${presets[@]}"; do
  echo "=== sgio: build and test, preset '$preset'"
  sgio_build "$preset"
  log=$(mktemp)
  # Tests share the disk and the two cores; -j2 keeps the run well inside CI's budget.
  if ctest --preset "$preset" -j2 --timeout 900 2>&1 | tee "$log"; then :; else status=1; fi
  # "100% tests passed, 0 tests failed out of 57". Disabled tests (aarch64: the *.uring variants,
  # io_uring is not emulated by qemu-user) are not in that count, so they add nothing here.
  if line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1); then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    nfail=$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")
    passed=$((passed + total - nfail))
    failed=$((failed + nfail))
  else
    echo "sgio: ctest printed no summary for preset '$preset'"
    status=1
  fi
  rm -f "$log"
done

# tests/RELIABILITY.md is one such report, committed; this run's goes to the build tree. It fails
# (and so does this script) if any result was wrong.
if ! python3 scripts/reliability_report.py --log "$SGIO_RELIABILITY_LOG" --long-run tests/fuzz/long-run.tsv \
    --out build/RELIABILITY.md --command "scripts/test.sh ${presets[*]}"; then
  status=1
fi

echo "total: $passed passed, $failed failed"
[[ $failed -eq 0 && $status -eq 0 ]]
