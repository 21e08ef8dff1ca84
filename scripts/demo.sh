#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds everything (library, bindings, examples), and runs the demo:
# one gather write and one scatter read from C (native face and the seed's Win32 code), C# and Java,
# each printing what it wrote, read and how fast.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
sgio_install_deps
sgio_env
sgio_build default

work=$(mktemp -d "${PWD}/build/demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo
echo "=== C, native face (sgio_file_write_gather / sgio_file_read_scatter)"
build/examples/c/sgio_example_c "$work/native.bin"
echo
echo "=== C, Win32 face (the seed's sample: VirtualAlloc + WriteFileGather + GetOverlappedResult)"
build/examples/win32/sgio_example_win32 "$work/win32.bin"
echo
echo "=== C#, the seed's P/Invoke sample through the SWIG binding, then SgioFile sync and async"
dotnet build/dotnet/SgioExample/bin/Release/net10.0/SgioExample.dll "$work" 64
echo
echo "=== Java, SgioFile and the Win32 call shape through the SWIG binding"
java -jar build/examples/java/sgio-example.jar "$work" 64
