# SPDX-License-Identifier: Apache-2.0
# Cross-compiles sgio for linux-aarch64 on a Debian x86_64 host: Debian's aarch64-linux-gnu-gcc/g++
# (g++-aarch64-linux-gnu) and the multiarch arm64 packages (liburing-dev:arm64 puts liburing.a in
# /usr/lib/aarch64-linux-gnu, its headers in /usr/include). Test programs run under qemu-user
# (qemu-user-static), which finds the arm64 loader and libc under /usr/aarch64-linux-gnu.
# Used by the `aarch64` preset and by cmake/SgioCross.cmake (the natives for the jar and nupkg).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(SGIO_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${SGIO_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${SGIO_CROSS_TRIPLE}-g++)
# Multiarch: find_library looks in <prefix>/lib/aarch64-linux-gnu, never in the host's x86_64 dirs.
set(CMAKE_LIBRARY_ARCHITECTURE ${SGIO_CROSS_TRIPLE})

find_program(SGIO_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(SGIO_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SGIO_QEMU_AARCH64};-L;/usr/${SGIO_CROSS_TRIPLE}")
endif()
