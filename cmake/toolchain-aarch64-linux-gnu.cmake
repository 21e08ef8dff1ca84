# SPDX-License-Identifier: Apache-2.0
# Cross-compiles sgio for linux-aarch64 on a Debian x86_64 host: Debian's aarch64-linux-gnu-gcc/g++
# (g++-aarch64-linux-gnu) and the multiarch arm64 packages (liburing-dev:arm64 puts liburing.a in
# /usr/lib/aarch64-linux-gnu, its headers in /usr/include). Test programs run under qemu-user
# (qemu-user-static) on the multiarch arm64 runtime (libc6:arm64, libstdc++6:arm64; see below).
# Used by the `aarch64` preset and by cmake/SgioCross.cmake (the natives for the jar and nupkg).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(SGIO_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${SGIO_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${SGIO_CROSS_TRIPLE}-g++)
# Multiarch: find_library looks in <prefix>/lib/aarch64-linux-gnu, never in the host's x86_64 dirs.
set(CMAKE_LIBRARY_ARCHITECTURE ${SGIO_CROSS_TRIPLE})

# Programs run with the multiarch arm64 runtime (-L /: /lib/ld-linux-aarch64.so.1 from libc6:arm64,
# libstdc++6:arm64), not the cross toolchain's copy in /usr/aarch64-linux-gnu: under qemu-user 7.2
# the latter (libc6-arm64-cross 2.36-8cross1) hangs in the first pthread_create of every dynamically
# linked program, while Debian 12's current libc6:arm64 runs threads fine.
find_program(SGIO_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(SGIO_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SGIO_QEMU_AARCH64};-L;/")
endif()
