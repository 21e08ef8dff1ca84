#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# wine_run.sh WINE64 PREFIX PROGRAM [ARGS...]: the CMAKE_CROSSCOMPILING_EMULATOR of the Windows
# tests. The first wine process of a prefix starts its wineserver, which then inherits that
# process's stdout/stderr; CTest waits for those pipes to close, so a test that happened to start
# the server "ran" until every other Wine test had finished (windows.loadlibrary timed out at
# 120 s after printing its success while native.integrity ran beside it). So the server is
# started here first, detached from the test's pipes, and lingers 10 s after its last client.
wine=$1 prefix=$2
shift 2
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
server="$(dirname "$wine")/wineserver"
[ -x "$server" ] || server=wineserver
# Exits at once when a server for this prefix is already running.
"$server" -p10 </dev/null >/dev/null 2>&1 || true
exec "$wine" "$@"
