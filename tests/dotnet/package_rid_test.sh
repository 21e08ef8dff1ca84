#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# package_rid_test.sh FEED VERSION DOTNET PACKAGES "RID,RID..."
# The package's buildTransitive/Sgio.targets: building or publishing an app for a RuntimeIdentifier
# the package has no libsgio for warns SGIO0001 (linux-musl-x64, win-x64, osx-arm64); the RIDs it
# carries do not, and their publish output has libsgio.so for that architecture.
set -euo pipefail
feed=$(realpath "$1") version=$2 dotnet=$3 packages=$(realpath -m "$4") rids=$5
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_PACKAGES="$packages"
work=$(mktemp -d "${TMPDIR:-/tmp}/sgio-rid.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
cat > App.csproj <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <!-- Framework-dependent, no apphost: no runtime or host pack to download per RID. -->
    <SelfContained>false</SelfContained>
    <UseAppHost>false</UseAppHost>
  </PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine(Sgio.SgioLibrary.Version);' > Program.cs
"$dotnet" add package Sgio --version "$version" --no-restore >/dev/null
fail() { echo "FAIL: $*"; exit 1; }
# e_machine of an ELF file: 62 = x86-64, 183 = AArch64.
machine() { python3 -c 'import sys,struct; d=open(sys.argv[1],"rb").read(20); print(struct.unpack("<H", d[18:20])[0])' "$1"; }

for rid in linux-musl-x64 win-x64 osx-arm64; do
  "$dotnet" publish -c Release --nologo -r "$rid" -o "pub-$rid" > "$rid.log" 2>&1 || { cat "$rid.log"; fail "publish -r $rid"; }
  grep -q "warning SGIO0001.*'$rid'" "$rid.log" || { cat "$rid.log"; fail "no SGIO0001 for $rid"; }
  echo "ok: SGIO0001 for $rid"
done
for rid in linux-x64 linux-arm64; do
  "$dotnet" publish -c Release --nologo -r "$rid" -o "pub-$rid" > "$rid.log" 2>&1 || { cat "$rid.log"; fail "publish -r $rid"; }
  if [[ ",$rids," == *",$rid,"* ]]; then
    grep -q "SGIO0001" "$rid.log" && { cat "$rid.log"; fail "SGIO0001 for $rid, which the package carries"; }
    test -f "pub-$rid/libsgio.so" || fail "no libsgio.so in the $rid publish output"
    want=62; [ "$rid" = linux-arm64 ] && want=183
    [ "$(machine "pub-$rid/libsgio.so")" = "$want" ] || fail "pub-$rid/libsgio.so is not a $rid binary"
    echo "ok: $rid publish carries its libsgio.so"
  else
    grep -q "warning SGIO0001.*'$rid'" "$rid.log" || { cat "$rid.log"; fail "no SGIO0001 for $rid (not in this package)"; }
    echo "ok: SGIO0001 for $rid (this package was packed without it)"
  fi
done
# The app built for this machine runs with the package's native library.
"$dotnet" pub-linux-x64/App.dll
