#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Profiles one sgio_bench_targets case (or several, by name substring) with perf: where the CPU goes
# by shared object, the top symbols, and the context switches per request. Used for the "why a
# target is missed" part of bench/README.md.
#
#   bench/profile.sh <build-dir> <data-dir> "<case name substring>" [seconds=4]
set -euo pipefail
build="$1" data="$2" only="$3" secs="${4:-4}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export SGIO_BENCH_ONLY="$only"
perf record -q -F 4000 -g -o "$out/perf.data" -- "$build/bench/async/sgio_bench_targets" "$data" "$secs" 1 1024 |
  grep -E "^\| QD" || true
echo "-- CPU samples by shared object"
perf report -q -i "$out/perf.data" --no-children --sort dso -g none 2>/dev/null | head -8
echo "-- top symbols (self)"
perf report -q -i "$out/perf.data" --no-children --sort dso,sym -g none 2>/dev/null | head -25
echo "-- context switches and io_uring events, whole run (prefill included)"
perf stat -e sched:sched_switch,io_uring:io_uring_submit_req,io_uring:io_uring_queue_async_work,syscalls:sys_enter_futex \
  -- "$build/bench/async/sgio_bench_targets" "$data" "$secs" 1 1024 2>&1 | grep -E "sched_switch|io_uring|futex|^\| QD"
