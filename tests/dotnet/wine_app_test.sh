#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# wine_app_test.sh FEED VERSION DOTNET PACKAGES WINE WORKROOT
# The Sgio package on Windows, as far as this Linux machine can show it: the consumer app of
# consumer_seed_test.sh (tests/dotnet/consumer: the seed's flow through the app's own
# [DllImport("kernel32.dll")] declarations and through Sgio.Kernel32, whose externs bind to the
# package's libsgio.dll (the build's sgio.dll) and its forwarders to kernel32; then SgioFile sync,
# async and DisposeAsync on the DLL's native face) published self-contained for win-x64 (`dotnet publish -r win-x64
# --self-contained`: the .NET runtime and apphost packs come from NuGet) and run under Wine
# (wine64) with a private WINEPREFIX in WORKROOT.
# Wine's own mscoree.dll must stay enabled when the app runs: Wine loads IL-only images (such as
# System.Runtime.dll) through it, and with WINEDLLOVERRIDES="mscoree=" (the usual way to skip the
# Wine Mono installer) .NET 8 and 10 stop at start-up with "System.IO.FileNotFoundException: Could
# not load file or assembly '...\System.Runtime.dll'. Module not found." (0x8007007E). So only
# wineboot runs with mscoree and mshtml disabled (no Mono/Gecko installers: nothing is downloaded).
# The prefix reports Windows 10, the oldest Windows .NET 10 supports (a fresh 64-bit-only prefix
# reports Windows 7; the app ran there too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
feed=$(realpath "$1") version=$2 dotnet=$3 packages=$(realpath -m "$4") wine=$5 root=$(realpath -m "$6")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_PACKAGES="$packages"
mkdir -p "$root"
work="$root/app"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
. "$here/consumer/project.sh"
write_nuget_config "$feed"
# The seed's own code (SeedAsIs.cs) draws SGIO1001/SGIO1002 on purpose; consumer_seed_test.sh checks them.
write_consumer_csproj net10.0 "<RuntimeIdentifier>win-x64</RuntimeIdentifier><SelfContained>true</SelfContained><NoWarn>\$(NoWarn);SGIO1001;SGIO1002</NoWarn>"
cp "$here/consumer/SeedAsIs.cs" "$here/consumer/Program.cs" .
"$dotnet" add package Sgio --version "$version" --no-restore >/dev/null
"$dotnet" publish -c Release --nologo -o pub > publish.log 2>&1 || { cat publish.log; echo "FAIL: publish -r win-x64"; exit 1; }
grep -q "SGIO0001" publish.log && { cat publish.log; echo "FAIL: SGIO0001 for win-x64, which the package carries"; exit 1; }
test -f pub/Consumer.exe && test -f pub/libsgio.dll && test -f pub/coreclr.dll || { ls pub; echo "FAIL: not a self-contained win-x64 app with libsgio.dll"; exit 1; }

export WINEPREFIX="$root/wineprefix" WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  WINEDLLOVERRIDES="mscoree,mshtml=" "$wine" wineboot -i > "$root/wineboot.log" 2>&1 ||
    { cat "$root/wineboot.log"; echo "FAIL: wineboot"; exit 1; }
fi
# No winedbg on a crash: the exception and a non-zero exit are the report.
export WINEDLLOVERRIDES="winedbg.exe="
"$wine" winecfg /v win10
[ "$("$wine" winecfg /v | tr -d "\r")" = win10 ] || { echo "FAIL: cannot set the Wine prefix to Windows 10"; exit 1; }
mkdir -p "$root/files"
winpath="Z:$(echo "$root/files" | tr / '\\')"
"$wine" pub/Consumer.exe "$winpath" 10
