#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deb_test.sh <build dir> <version>
#
# Runs `cpack -G DEB` for the build into a temporary folder and checks both packages with dpkg-deb:
# libsgio<major> holds only the versioned library, its SONAME link and the copyright file, and
# depends on the C/C++ runtime; libsgio-dev holds headers, the .so link, CMake package, pkg-config
# file (prefix /usr), man pages and docs, and depends on exactly this version of libsgio<major>.
set -euo pipefail
build=$1 version=$2
major=${version%%.*}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack -G DEB"; }
arch=$(dpkg --print-architecture)
rt=$work/libsgio${major}_${version}_$arch.deb dev=$work/libsgio-dev_${version}_$arch.deb
[[ -f $rt && -f $dev ]] || fail "expected $(basename "$rt") and $(basename "$dev"), got: $(ls "$work")"

field() { dpkg-deb -f "$1" "$2"; }
# "path" or "path -> target" for every file and link in a package, "./" and directories dropped.
contents() { dpkg-deb -c "$1" | grep -v '^d' | awk '{ $1=$2=$3=$4=$5=""; sub(/^ +\.\//, ""); print }'; }

[[ $(field "$rt" Package) == "libsgio$major" ]] || fail "runtime package name"
[[ $(field "$rt" Version) == "$version" ]] || fail "runtime version"
[[ $(field "$rt" Section) == libs ]] || fail "runtime section"
deps=$(field "$rt" Depends)
for d in libc6 libstdc++6 libgcc-s1; do
  [[ ", $deps," == *", $d "* || ", $deps," == *", $d,"* ]] || fail "libsgio$major does not depend on $d: '$deps'"
done
if grep -q liburing <<<"$deps"; then fail "libsgio$major depends on liburing, which is linked in statically"; fi
expected_rt=$(printf '%s\n' "usr/lib/libsgio.so.$major -> libsgio.so.$version" "usr/lib/libsgio.so.$version" \
                             "usr/share/doc/libsgio$major/copyright" | sort)
[[ $(contents "$rt" | sort) == "$expected_rt" ]] || fail "libsgio$major contents:"$'\n'"$(contents "$rt")"
dpkg-deb --ctrl-tarfile "$rt" | tar -t | grep -q shlibs || fail "libsgio$major has no shlibs control file"

[[ $(field "$dev" Package) == libsgio-dev ]] || fail "dev package name"
[[ $(field "$dev" Version) == "$version" ]] || fail "dev version"
[[ $(field "$dev" Depends) == "libsgio$major (= $version)" ]] || fail "libsgio-dev Depends: '$(field "$dev" Depends)'"
listing=$(contents "$dev")
for f in "usr/lib/libsgio.so -> libsgio.so.$major" usr/include/sgio/sgio.h usr/include/sgio/sgio_win32.h \
         usr/lib/cmake/sgio/sgioConfig.cmake usr/lib/cmake/sgio/sgioConfigVersion.cmake \
         usr/lib/cmake/sgio/sgioTargets.cmake usr/lib/pkgconfig/sgio.pc usr/share/man/man7/sgio.7 \
         usr/share/man/man3/sgio_file_write_gather.3 usr/share/man/man3/sgio_queue_submit.3 \
         usr/share/doc/libsgio-dev/copyright usr/share/doc/sgio/README.md; do
  grep -qxF "$f" <<<"$listing" || fail "libsgio-dev lacks $f"
done
if grep -qE "libsgio\.so\.$major" <<<"$(grep -v -- '->' <<<"$listing")"; then fail "libsgio-dev carries the runtime library"; fi
others=$(grep -vE '^usr/(lib/libsgio\.so -> |include/sgio/|lib/cmake/sgio/|lib/pkgconfig/sgio\.pc$|share/man/man[37]/|share/doc/(sgio|libsgio-dev)/)' <<<"$listing" || true)
[[ -z $others ]] || fail "libsgio-dev carries unexpected files:"$'\n'"$others"

dpkg-deb -x "$dev" "$work/dev"
grep -qx "prefix=/usr" "$work/dev/usr/lib/pkgconfig/sgio.pc" || fail "sgio.pc in libsgio-dev: $(grep prefix= "$work/dev/usr/lib/pkgconfig/sgio.pc")"
echo "deb_test: ok: $(basename "$rt") (Depends: $deps), $(basename "$dev")"
