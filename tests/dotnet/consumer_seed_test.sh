#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# consumer_seed_test.sh FEED VERSION DOTNET WORKROOT PACKAGES TFM
# A fresh console app for TFM (net8.0 or net10.0) takes the Sgio package from the local feed and
#  1. compiles the seed's code as published (SeedAsIs.cs): the package's analyzers must report
#     SGIO1001 ([Out] FILE_SEGMENT_ELEMENT[]) and SGIO1002 ((uint) address cast) in the build output;
#  2. runs the seed's flow as a port does it: its own [DllImport("kernel32.dll")] declarations,
#     Sgio.Kernel32.RedirectDllImports, VirtualAlloc'd pages, the segment loop with the analyzer's
#     fix, WriteFileGather/ReadFileScatter + GetOverlappedResult; then SgioFile sync, async and
#     DisposeAsync. net8.0 is published self-contained for linux-x64 (runtime pack from NuGet), so
#     it runs on the real .NET 8 runtime; the app checks Environment.Version's major. net10.0 runs
#     from the build output (runtimes/linux-x64/native) and again as a single-file app.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
feed=$(realpath "$1") version=$2 dotnet=$3 root=$(realpath -m "$4") packages=$(realpath -m "$5") tfm=$6
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_PACKAGES="$packages"
unset LD_LIBRARY_PATH
major=${tfm#net}; major=${major%%.*}
mkdir -p "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/sgio-seed-$tfm.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
. "$here/consumer/project.sh"
write_nuget_config "$feed"
write_consumer_csproj "$tfm"
# The seed as published (compiled, never run) and the app (tests/dotnet/consumer/).
cp "$here/consumer/SeedAsIs.cs" "$here/consumer/Program.cs" .
"$dotnet" add package Sgio --version "$version" >/dev/null
if [ "$major" -ge 10 ]; then
  "$dotnet" build -c Release --nologo -o out 2>&1 | tee build.log
  run=("$dotnet" out/Consumer.dll)
else
  # Self-contained: the .NET $major runtime pack comes from NuGet, the app runs on it.
  "$dotnet" publish -c Release --nologo -r linux-x64 --self-contained true -o pub 2>&1 | tee build.log
  test -f pub/libsgio.so
  run=(pub/Consumer)
fi
for id in SGIO1001 SGIO1002; do
  grep -q "warning $id" build.log || { echo "FAIL: the package's analyzer did not report $id"; exit 1; }
done
grep -q "SeedAsIs.cs.*warning SGIO1002" build.log
grep -q "Program.cs.*warning SGIO" build.log && { echo "FAIL: analyzer warning on the fixed code"; exit 1; }
"${run[@]}" "$root" "$major"
if [ "$major" -ge 10 ]; then
  # Single-file: libsgio is bundled and extracted at start-up; RedirectDllImports must find it there.
  "$dotnet" publish -c Release --nologo -r linux-x64 --self-contained false -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true -o single > single.log 2>&1 || { cat single.log; exit 1; }
  [ ! -e single/libsgio.so ] || { echo "FAIL: libsgio.so was not bundled into the single file"; exit 1; }
  DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract" single/Consumer "$root" "$major"
fi
