#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one libFuzzer harness for a fixed time from its seed corpus and records the result.
#   run_fuzzer.sh <binary> <harness> <seed-corpus-dir> <work-dir> <seconds> [extra libFuzzer flags]
# New inputs go to <work-dir>/corpus (the committed seeds are never written); a crash leaves its
# input in <work-dir>. Prints "fuzz <harness>: <executions> executions, <crashes> crashes, <s> s"
# and appends "fuzz <TAB> <harness> <TAB> <kind> <TAB> executions <TAB> crashes" to
# SGIO_RELIABILITY_LOG when set (kind: SGIO_FUZZ_KIND, default "short run"). Exits non-zero on a
# crash, a leak, a timeout or a wrong result (the harnesses abort on those).
set -uo pipefail
bin=$1 harness=$2 seeds=$3 work=$4 seconds=$5
shift 5
mkdir -p "$work/corpus"
log="$work/fuzz.log"
start=$(date +%s)
"$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096 \
  -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
crashes=0
if [[ $rc -ne 0 || -z "$execs" ]]; then
  crashes=1
  tail -n 60 "$log"
fi
execs=${execs:-0}
echo "fuzz $harness: $execs executions, $crashes crashes, $secs s"
if [[ -n "${SGIO_RELIABILITY_LOG:-}" ]]; then
  printf 'fuzz\t%s\t%s\t%s\t%s\n' "$harness" "${SGIO_FUZZ_KIND:-short run}" "$execs" "$crashes" >>"$SGIO_RELIABILITY_LOG"
fi
exit "$crashes"
