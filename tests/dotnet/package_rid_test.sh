#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# package_rid_test.sh FEED VERSION DOTNET PACKAGES "RID,RID..."
# The package's buildTransitive/Sgio.targets: building or publishing an app for a RuntimeIdentifier
# the package has no native library for warns SGIO0001 (linux-musl-x64, osx-arm64, and any of
# linux-x64, linux-arm64, win-x64 it was packed without); the RIDs it carries do not, and their
# publish output has the native library for that machine: libsgio.so (ELF x86-64 / AArch64) or,
# for win-x64, libsgio.dll (PE x86-64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
feed=$(realpath "$1") version=$2 dotnet=$3 packages=$(realpath -m "$4") rids=$5
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_PACKAGES="$packages"
work=$(mktemp -d "${TMPDIR:-/tmp}/sgio-rid.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
. "$here/consumer/project.sh"
write_nuget_config "$feed"
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
# The machine of an ELF file (e_machine: 62 = x86-64, 183 = AArch64) or of a PE image
# ("PE" + Machine: 34404 = 0x8664 = x86-64); 0 for anything else.
machine() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(4096)
if d[:4] == b"\x7fELF":
    print(struct.unpack("<H", d[18:20])[0])
elif d[:2] == b"MZ":
    pe = struct.unpack("<I", d[0x3c:0x40])[0]
    print(struct.unpack("<H", d[pe + 4:pe + 6])[0] if d[pe:pe + 4] == b"PE\0\0" else 0)
else:
    print(0)
PY
}

for rid in linux-musl-x64 osx-arm64; do
  "$dotnet" publish -c Release --nologo -r "$rid" -o "pub-$rid" > "$rid.log" 2>&1 || { cat "$rid.log"; fail "publish -r $rid"; }
  grep -q "warning SGIO0001.*'$rid'" "$rid.log" || { cat "$rid.log"; fail "no SGIO0001 for $rid"; }
  echo "ok: SGIO0001 for $rid"
done
for rid in linux-x64 linux-arm64 win-x64; do
  "$dotnet" publish -c Release --nologo -r "$rid" -o "pub-$rid" > "$rid.log" 2>&1 || { cat "$rid.log"; fail "publish -r $rid"; }
  if [[ ",$rids," == *",$rid,"* ]]; then
    grep -q "SGIO0001" "$rid.log" && { cat "$rid.log"; fail "SGIO0001 for $rid, which the package carries"; }
    case $rid in
      linux-x64) native=libsgio.so want=62 ;;
      linux-arm64) native=libsgio.so want=183 ;;
      win-x64) native=libsgio.dll want=34404 ;;
    esac
    test -f "pub-$rid/$native" || fail "no $native in the $rid publish output"
    [ "$(machine "pub-$rid/$native")" = "$want" ] || fail "pub-$rid/$native is not a $rid binary"
    echo "ok: $rid publish carries its $native"
  else
    grep -q "warning SGIO0001.*'$rid'" "$rid.log" || { cat "$rid.log"; fail "no SGIO0001 for $rid (not in this package)"; }
    echo "ok: SGIO0001 for $rid (this package was packed without it)"
  fi
done
# The app built for this machine runs with the package's native library.
"$dotnet" pub-linux-x64/App.dll
