#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# install_test.sh <build dir> <source dir> <C compiler> <CMake generator>
#
# Installs the build into a temporary prefix and checks what a user gets:
#  1. exactly the library (with its SONAME and .so links), headers, CMake package, pkg-config file,
#     man pages and docs, and no path into the source or build tree;
#  2. a CMake project using find_package(sgio 1 REQUIRED) + sgio::sgio builds and runs (it finds
#     libsgio.so through the RUNPATH CMake gives build-tree executables; LD_LIBRARY_PATH is unset);
#  3. a plain `cc $(pkg-config --cflags --libs sgio)` build runs (with LD_LIBRARY_PATH=<prefix>/lib,
#     since pkg-config adds no RUNPATH);
#  4. installed man pages render with `man -l` without warnings.
# Both consumers print the libsgio.so they loaded, which must be the installed one.
set -euo pipefail  # no `| grep -q` below: it would end a pipe early and fail it by SIGPIPE
build=$1 src=$2 cc=$3 generator=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
version=$(sed -nE 's/^#define SGIO_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)$/\2/p' "$prefix/include/sgio/sgio_version.h" | paste -sd.)
major=${version%%.*}
libdir=$prefix/lib

# 1. The file list.
[[ -f $libdir/libsgio.so.$version && ! -L $libdir/libsgio.so.$version ]] || fail "no libsgio.so.$version"
[[ $(readlink "$libdir/libsgio.so.$major") == "libsgio.so.$version" ]] || fail "libsgio.so.$major is not a link to libsgio.so.$version"
[[ $(readlink "$libdir/libsgio.so") == "libsgio.so.$major" ]] || fail "libsgio.so is not a link to libsgio.so.$major"
objdump -p "$libdir/libsgio.so.$version" | grep -E "SONAME +libsgio\.so\.$major$" >/dev/null || fail "SONAME is not libsgio.so.$major"
if objdump -p "$libdir/libsgio.so.$version" | grep -E "R(UN)?PATH" >/dev/null; then fail "installed libsgio.so has an RPATH/RUNPATH"; fi
for h in "$src"/../../capi/include/sgio/*.h; do
  cmp -s "$h" "$prefix/include/sgio/$(basename "$h")" || fail "header $(basename "$h") not installed as is"
done
unexpected=$(cd "$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | grep -vE \
  -e "^lib/libsgio\.so(\.$major(\.[0-9]+\.[0-9]+)?)?$" \
  -e '^include/sgio/sgio[a-z0-9_]*\.h$' \
  -e '^lib/cmake/sgio/sgio(Config|ConfigVersion|Targets|Targets-[a-z]+)\.cmake$' \
  -e '^lib/pkgconfig/sgio\.pc$' \
  -e '^share/man/man3/[A-Za-z0-9_]+\.3$' -e '^share/man/man7/sgio\.7$' \
  -e '^share/doc/sgio/(LICENSE|README\.md|CHANGELOG\.md)$' || true)
[[ -z $unexpected ]] || fail "unexpected installed files:"$'\n'"$unexpected"
# Section 3 holds exactly the documented exports of def/sgio.def (scripts/sgio_def.py decides which).
documented=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import sgio_def; print("\n".join(sorted(sgio_def.documented_exports(sys.argv[2]))))' \
  "$src/../../scripts" "$src/../../def/sgio.def")
pages=$(cd "$prefix/share/man/man3" && ls | sed 's/\.3$//' | LC_ALL=C sort)
[[ $pages == "$documented" ]] || fail "man3 pages differ from def/sgio.def's documented exports:"$'\n'"$(diff <(echo "$documented") <(echo "$pages") || true)"
for f in lib/cmake/sgio/sgioConfig.cmake lib/cmake/sgio/sgioConfigVersion.cmake lib/pkgconfig/sgio.pc \
         share/man/man7/sgio.7 share/man/man3/sgio_file_write_gather.3; do
  [[ -f $prefix/$f ]] || fail "$f not installed"
done
build_abs=$(cd "$build" && pwd -P) src_root=$(cd "$src/../.." && pwd -P)
if grep -rlF -e "$build_abs" -e "$src_root" "$prefix" >/dev/null; then
  fail "installed files name the build or source tree: $(grep -rlF -e "$build_abs" -e "$src_root" "$prefix" | tr '\n' ' ')"
fi

# 2. find_package consumer. CMAKE_FIND_USE_PACKAGE_REGISTRY=OFF: only the prefix may provide sgio.
cmake -S "$src/cmake_consumer" -B "$work/cmake_consumer" -G "$generator" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_BUILD_TYPE=Release \
      > "$work/cmake_configure.log" || { cat "$work/cmake_configure.log"; fail "find_package consumer: configure"; }
grep -qF "sgio_DIR=$prefix/lib/cmake/sgio" "$work/cmake_configure.log" || fail "find_package found sgio elsewhere: $(grep sgio_DIR "$work/cmake_configure.log")"
grep -qF "sgio_VERSION=$version" "$work/cmake_configure.log" || fail "sgioConfigVersion.cmake: wrong version"
cmake --build "$work/cmake_consumer" >/dev/null || fail "find_package consumer: build"
out=$(env -u LD_LIBRARY_PATH "$work/cmake_consumer/consumer" "$work/cmake.bin") || fail "find_package consumer: run"
echo "$out"
grep -qx "libsgio: $libdir/libsgio.so.$major" <<<"$out" || fail "find_package consumer loaded another libsgio"
grep -qx "version: $version" <<<"$out" || fail "find_package consumer: wrong version"

# SameMajorVersion: a 1.x request is met, 2 and 0.9 are not (the ABI is per major version).
printf 'include("%s")\nmessage("${PACKAGE_VERSION_COMPATIBLE}")\n' "$prefix/lib/cmake/sgio/sgioConfigVersion.cmake" \
  > "$work/compat.cmake"
compat() { cmake -DPACKAGE_FIND_VERSION="$1" -DPACKAGE_FIND_VERSION_MAJOR="${1%%.*}" -P "$work/compat.cmake" 2>&1; }
[[ $(compat "$major") == TRUE && $(compat "$major.0") == TRUE ]] || fail "sgioConfigVersion: $major not compatible"
[[ $(compat "$((major + 1))") == FALSE && $(compat "$((major - 1)).9") == FALSE ]] || fail "sgioConfigVersion: another major accepted"

# 3. pkg-config consumer, a plain compiler command line. PKG_CONFIG_LIBDIR: only the prefix's .pc.
export PKG_CONFIG_LIBDIR=$libdir/pkgconfig PKG_CONFIG_PATH=
[[ $(pkg-config --modversion sgio) == "$version" ]] || fail "pkg-config --modversion sgio"
[[ $(pkg-config --variable=prefix sgio) == "$prefix" ]] || fail "sgio.pc prefix is $(pkg-config --variable=prefix sgio)"
# shellcheck disable=SC2046  # word splitting of the flags is the point
"$cc" -std=c99 -Wall -Wextra -Werror -o "$work/pc_consumer" "$src/consumer.c" $(pkg-config --cflags --libs sgio) \
  || fail "pkg-config consumer: build"
out=$(LD_LIBRARY_PATH=$libdir "$work/pc_consumer" "$work/pc.bin") || fail "pkg-config consumer: run"
echo "$out"
grep -qx "libsgio: $libdir/libsgio.so.$major" <<<"$out" || fail "pkg-config consumer loaded another libsgio"

# 4. Installed man pages, as a user opens them.
for page in "$prefix/share/man/man7/sgio.7" "$prefix/share/man/man3/sgio_file_open.3"; do
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l $page"
  [[ -z $warnings ]] || fail "man -l $page warns: $warnings"
  MANWIDTH=80 man -l "$page" 2>/dev/null | grep "^NAME" >/dev/null || fail "man -l $page renders no NAME section"
done
MANPATH=$prefix/share/man man -w sgio_queue_submit >/dev/null || fail "man -w sgio_queue_submit with MANPATH=<prefix>/share/man"
echo "install_test: ok ($prefix)"
