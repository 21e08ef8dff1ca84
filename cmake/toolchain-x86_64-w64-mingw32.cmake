# SPDX-License-Identifier: Apache-2.0
# Cross-compiles sgio.dll for Windows x64 on a Debian host with Debian's mingw-w64, the POSIX
# threads flavour (x86_64-w64-mingw32-gcc-posix / g++-posix: std::thread and std::mutex need it;
# the win32 flavour of GCC 12 has no <thread>). libgcc, libstdc++ and winpthread are linked
# statically (below), so sgio.dll and the test programs import only Windows' own DLLs
# (kernel32, msvcrt): nothing from the toolchain has to be shipped beside them.
# Test programs run under Wine (wine64) with a private WINEPREFIX in the build tree, prepared
# once at configure time (tests/windows/CMakeLists.txt). Used by the `mingw` preset.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(SGIO_CROSS_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${SGIO_CROSS_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${SGIO_CROSS_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${SGIO_CROSS_TRIPLE}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${SGIO_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# -static here links only the toolchain's runtimes statically (libgcc, libstdc++, winpthread):
# Windows' system DLLs are import libraries and stay dynamic.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

find_program(SGIO_WINE64 NAMES wine64 wine PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(SGIO_WINE64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SGIO_WINE64}")
endif()
