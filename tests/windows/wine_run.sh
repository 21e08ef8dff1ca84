#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# wine_run.sh WINE64 PREFIX PROGRAM [ARGS...]: the CMAKE_CROSSCOMPILING_EMULATOR of the Windows
# tests. Wine's wineserver and its system processes (services.exe, winedevice.exe, ...) inherit the
# stdout/stderr of the wine process that started them and live on until the server shuts down,
# and CTest waits for those pipes to close: a test that happened to start them "ran" until every
# other Wine test had finished (windows.loadlibrary timed out at 120 s after printing its success
# while native.integrity ran beside it). So the program writes into a file here, which those
# processes may keep open for as long as they like, and the file is copied to our stdout.
wine=$1 prefix=$2
shift 2
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
out=$(mktemp "${TMPDIR:-/tmp}/sgio-wine.XXXXXX")
trap 'rm -f "$out"' EXIT
rc=0
"$wine" "$@" </dev/null >"$out" 2>&1 || rc=$?
cat "$out"
exit $rc
