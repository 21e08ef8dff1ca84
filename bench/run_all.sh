#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every issue-9 benchmark (C targets, .NET, Java) one after another and prints their tables
# (markdown, as pasted into bench/README.md). Each program interleaves its own A/B rounds.
#
#   bench/run_all.sh [build-dir=build/dev] [data-dir=<build-dir>/bench-data] [quick|medium|full]
#
# The build directory must have been built with benchmarks (SGIO_BUILD_BENCH=ON, the default) and,
# for the .NET and Java rows, with the bindings. `quick` makes every run short (a smoke run: the
# programs run and check their data, the numbers mean little); `medium` (about 6 minutes) is what
# bench/README.md's tables were measured with; `full` (the default) runs longer and more rounds.
# SGIO_BENCH_BEFORE_LIB=<dir with an older libsgio.so.1> also runs the C program against it first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build/dev}" && pwd)"
data="${2:-$build/bench-data}"
mode="${3:-full}"
mkdir -p "$data"

if [[ $mode == quick ]]; then
  c_args=(0.3 1 64)         # seconds per case per round, rounds, file MiB
  dotnet_args=(16 16 32 1)  # MiB per run, pages per gather, QD, rounds
  java_args=(16 1)          # MiB per pass, passes
elif [[ $mode == medium ]]; then
  c_args=(2 3 1024)
  dotnet_args=(128 16 32 3)
  java_args=(64 5)
else
  c_args=(3 5 1024)
  dotnet_args=(256 16 32 5)
  java_args=(128 7)
fi

echo "# sgio benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# build: $build ($(git -C "$root" log -1 --format='%h %s' 2>/dev/null | cut -c1-80)); data: $data ($(df -T "$data" | awk 'NR==2{print $2}'))"
echo

echo "## C: Win32 face and sgio_queue vs pwritev/preadv and a raw liburing loop"
if [[ -n ${SGIO_BENCH_BEFORE_LIB:-} ]]; then
  # The same program against an older libsgio.so (its directory), before and after this build's,
  # so both engines are measured in the same time window on the same load.
  echo "### before: libsgio.so from $SGIO_BENCH_BEFORE_LIB"
  LD_LIBRARY_PATH="$SGIO_BENCH_BEFORE_LIB" "$build/bench/async/sgio_bench_targets" "$data" "${c_args[@]}"
  echo
  echo "### after: libsgio.so of $build"
fi
"$build/bench/async/sgio_bench_targets" "$data" "${c_args[@]}"
echo

dll="$build/dotnet/SgioBench/bin/Release/net10.0/SgioBench.dll"
if [[ -f $dll ]]; then
  echo "## .NET: SgioFile vs RandomAccess"
  dotnet "$dll" "$data" "${dotnet_args[@]}" both
  echo
else
  echo "## .NET: skipped (no $dll: build with the bindings)"
fi

jar="$build/bench/java/sgio-bench-java.jar"
if [[ -f $jar ]]; then
  echo "## Java: SgioFile and SgioQueue vs FileChannel"
  java -jar "$jar" "$data" "${java_args[@]}"
else
  echo "## Java: skipped (no $jar: build with the bindings)"
fi
