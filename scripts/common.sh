# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/demo.sh and scripts/test.sh: installs what a fresh machine lacks and sets up
# the environment the build needs.

# The Debian packages sgio needs beyond what the machine kind ships (Debian 12 with the .NET SDK,
# g++, CMake and Java). apt-get runs only when something is missing.
sgio_install_deps() {
  # pkg-config, man-db (+groff-base), dpkg-dev (dpkg-shlibdeps for CPack): tests/install.
  local packages=(ninja-build swig doctest-dev liburing-dev junit5 fio clang pkg-config man-db groff-base dpkg-dev)
  # linux-aarch64: the cross compiler, qemu-user for its tests, arm64 liburing (multiarch; pulls
  # libc6:arm64) and libstdc++6:arm64, the runtime the tests run on under qemu (-L /; the cross
  # toolchain's own libc hangs there, cmake/toolchain-aarch64-linux-gnu.cmake says why).
  packages+=(g++-aarch64-linux-gnu qemu-user-static liburing-dev:arm64 libstdc++6:arm64)
  # java.maven_consumer: Maven offline, with the plugins it runs from Debian's /usr/share/maven-repo.
  packages+=(maven libmaven-resources-plugin-java libmaven-compiler-plugin-java libexec-maven-plugin-java)
  # libFuzzer and the sanitizer runtimes for clang (the "fuzz" preset, tests/fuzz).
  packages+=(libclang-rt-14-dev)
  # Windows x64 (the "mingw" preset): mingw-w64's POSIX-threads compilers build sgio.dll and the
  # test programs, which run under Wine (wine64; the 64-bit loader is /usr/lib/wine/wine64).
  packages+=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 wine64)
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "sgio: installing ${missing[*]}"
    local sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    # :arm64 packages need the foreign architecture (once; apt-get update below then fetches it).
    if [[ " ${missing[*]}" == *":arm64"* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
      "${sudo_cmd[@]}" dpkg --add-architecture arm64
    fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

sgio_env() {
  # CMake's FindJNI needs JAVA_HOME; derive it from javac when unset.
  if [[ -z "${JAVA_HOME:-}" ]] && command -v javac >/dev/null; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    export JAVA_HOME
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# Configure (once) and build one preset.
sgio_build() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
}
