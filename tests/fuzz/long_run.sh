#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The long fuzz run: each harness in turn (never two at once: the machine is shared), at nice 19,
# for its share of the time, from the seed corpus plus what earlier runs found. Appends one line
# per harness to tests/fuzz/long-run.tsv (date, harness, executions, crashes, seconds), which
# scripts/reliability_report.py reads. Usage (build the "fuzz" preset first):
#   tests/fuzz/long_run.sh <seconds-native> <seconds-queue> <seconds-win32>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SGIO_FUZZ_BUILD:-$root/build-fuzz}
tsv=$here/long-run.tsv
work=$build/long-run
mkdir -p "$work/bin"
declare -A secs=([native]=${1:-1200} [queue]=${2:-1200} [win32]=${3:-1200})
# Copies, so that rebuilding the tree during the run cannot swap a binary under it.
for h in native queue win32; do cp "$build/tests/fuzz/sgio_fuzz_$h" "$work/bin/"; done
[[ -f $tsv ]] || printf 'date\tharness\texecutions\tcrashes\tseconds\n' >"$tsv"
for h in native queue win32; do
  start=$(date +%s)
  out=$(SGIO_RELIABILITY_LOG= nice -n 19 "$here/run_fuzzer.sh" "$work/bin/sgio_fuzz_$h" "$h" "$here/corpus/$h" \
        "$work/$h" "${secs[$h]}" || true)
  echo "$out"
  line=$(grep -E "^fuzz $h: " <<<"$out" | tail -1)
  execs=$(sed -E 's/.*: ([0-9]+) executions.*/\1/' <<<"$line")
  crashes=$(sed -E 's/.* ([0-9]+) crashes.*/\1/' <<<"$line")
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$h" "${execs:-0}" "${crashes:-1}" \
    "$(( $(date +%s) - start ))" >>"$tsv"
done
