#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compiles and runs OutsideRepo.java in a fresh directory with only sgio.jar on the class path:
# no -Djava.library.path, no LD_LIBRARY_PATH, no build tree. Fails on any error.
# usage: run_outside.sh <sgio.jar> <javac> <java> <OutsideRepo.java> <parent dir for the temp dir>
set -eu
jar=$1 javac=$2 java=$3 src=$4 parent=$5
work=$(mktemp -d "$parent/outside-repo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/sgio.jar"
cp "$src" "$work/OutsideRepo.java"
cd "$work"
unset LD_LIBRARY_PATH JAVA_TOOL_OPTIONS _JAVA_OPTIONS
"$javac" -cp sgio.jar -d . OutsideRepo.java
"$java" -cp sgio.jar:. OutsideRepo "$work/data.bin"
# The loader leaves no extracted libraries behind.
if ls "$work"/sgio-native-* >/dev/null 2>&1; then echo "extracted libraries left in $work"; exit 1; fi
