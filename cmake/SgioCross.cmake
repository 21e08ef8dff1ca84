# SPDX-License-Identifier: Apache-2.0
# SgioCross.cmake - the other platforms' natives inside the normal (linux-x86_64) build, so the
# default build's sgio.jar and Sgio nupkg carry them all. For each target platform whose cross
# compiler is installed, this same source tree is built again as an ExternalProject with that
# platform's toolchain file and SGIO_JNI_ONLY=ON: libsgio and the JNI library only (no tests,
# examples, bench, jar or nupkg), stripped by bindings/java into <bin>/bindings/java/natives/<platform>/.
#
# Contract for the bindings (set here, in the top-level scope, before add_subdirectory(bindings)):
#
# linux-aarch64 (g++-aarch64-linux-gnu, liburing-dev:arm64; cmake/toolchain-aarch64-linux-gnu.cmake)
#   SGIO_CROSS_AARCH64     option; default ON iff the cross compiler and arm64 liburing.a are found
#                          and the Java binding's tools are there
#   sgio_cross_aarch64     the target that builds them (depend on it)
#   SGIO_AARCH64_LIBSGIO   absolute path of the stripped aarch64 libsgio, named by its SONAME
#                          libsgio.so.<major> (e.g. libsgio.so.1; rename to libsgio.so for P/Invoke)
#   SGIO_AARCH64_LIBJNI    absolute path of the stripped aarch64 libsgio_jni.so (RUNPATH $ORIGIN,
#                          needs libsgio.so.<major> beside it)
#   SGIO_AARCH64_NATIVE_DIR the folder holding both plus libraries.txt (the jar's native/linux-aarch64)
#
# windows-x86_64 (mingw-w64, posix flavour; cmake/toolchain-x86_64-w64-mingw32.cmake)
#   SGIO_CROSS_WIN64       option; default ON iff x86_64-w64-mingw32-g++-posix and the toolchain
#                          file are found and the Java binding's tools are there
#   sgio_cross_win64       the target that builds them
#   SGIO_WIN64_SGIO_DLL    absolute path of the stripped sgio.dll (def/sgio.def exports; the Win32
#                          names forward to kernel32); the nupkg's runtimes/win-x64/native/sgio.dll
#   SGIO_WIN64_JNI_DLL     absolute path of the stripped sgio_jni.dll (imports sgio.dll: load it second)
#   SGIO_WIN64_NATIVE_DIR  the folder holding both plus libraries.txt (the jar's native/windows-x86_64)
#
# All paths are empty when the option is OFF: the packages then lack that platform.

# Why this build cannot cross-build natives at all ("" when it can); includes SgioJava.cmake, whose
# JNI headers (JAVA_INCLUDE_PATH) the cross builds reuse.
function(_sgio_cross_host_check out_why)
  set(why "")
  if(CMAKE_CROSSCOMPILING)
    set(why "this build is itself a cross build")
  elseif(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(why "the host is not linux-x86_64")
  elseif(NOT SGIO_BUILD_BINDINGS)
    set(why "SGIO_BUILD_BINDINGS is OFF")
  else()
    # The cross builds lay out their natives with the JNI library (bindings/java), so they need
    # what the Java binding needs (SWIG, the JDK's jni.h).
    include(${PROJECT_SOURCE_DIR}/bindings/java/SgioJava.cmake)
    if(NOT SGIO_JAVA_ENABLED)
      set(why "the Java binding's tools (SWIG, a JDK) are missing")
    endif()
    set(JAVA_INCLUDE_PATH "${JAVA_INCLUDE_PATH}" PARENT_SCOPE)
    set(JAVA_INCLUDE_PATH2 "${JAVA_INCLUDE_PATH2}" PARENT_SCOPE)
  endif()
  set(${out_why} "${why}" PARENT_SCOPE)
endfunction()

# The option OPTION (default ON iff WHY is empty), with one status line or warning when the natives
# of PLATFORM are not built. Sets OUT_ON in the caller: build them or not.
function(_sgio_cross_option option platform why doc out_on)
  set(possible OFF)
  if(why STREQUAL "")
    set(possible ON)
  endif()
  option(${option} "${doc}" ${possible})
  set(on OFF)
  if(${option} AND NOT possible)
    message(WARNING "sgio: ${option} is ON but ${why}; ${platform} natives not built")
  elseif(NOT ${option})
    if(SGIO_BUILD_BINDINGS AND NOT CMAKE_CROSSCOMPILING)
      if(why STREQUAL "")
        set(why "${option}=OFF")
      endif()
      message(STATUS "sgio: ${platform} natives not built (${why}): sgio.jar and the nupkg lack ${platform}")
    endif()
  else()
    set(on ON)
  endif()
  set(${out_on} ${on} PARENT_SCOPE)
endfunction()

# ExternalProject TARGET: this tree built in BIN with TOOLCHAIN, SGIO_JNI_ONLY, target
# sgio_jni_natives; BYPRODUCTS are its natives. Extra -D arguments follow ARGS.
include(ExternalProject)
function(_sgio_cross_build target bin toolchain)
  cmake_parse_arguments(PARSE_ARGV 3 arg "" "" "BYPRODUCTS;ARGS")
  set(build_type "${CMAKE_BUILD_TYPE}")
  if(NOT build_type)
    set(build_type RelWithDebInfo)
  endif()
  ExternalProject_Add(${target}
    SOURCE_DIR "${PROJECT_SOURCE_DIR}"
    BINARY_DIR "${bin}"
    CMAKE_ARGS
      "-DCMAKE_TOOLCHAIN_FILE=${toolchain}"
      "-DCMAKE_BUILD_TYPE=${build_type}"
      -DSGIO_JNI_ONLY=ON
      -DSGIO_BUILD_TESTS=OFF
      -DSGIO_BUILD_EXAMPLES=OFF
      -DSGIO_BUILD_BENCH=OFF
      -DSGIO_BUILD_BINDINGS=ON
      -DSGIO_INSTALL=OFF
      ${arg_ARGS}
    BUILD_COMMAND "${CMAKE_COMMAND}" --build "${bin}" --target sgio_jni_natives
    # Sources are this tree: rebuild (a no-op when nothing changed) on every build of the parent.
    BUILD_ALWAYS ON
    BUILD_BYPRODUCTS ${arg_BYPRODUCTS}
    INSTALL_COMMAND ""
    TEST_COMMAND ""
    USES_TERMINAL_BUILD ON)
  message(STATUS "sgio: ${target}: natives cross-built in ${bin}")
endfunction()

_sgio_cross_host_check(_sgio_cross_why)

# --- linux-aarch64 ----------------------------------------------------------------------------
set(SGIO_AARCH64_LIBSGIO "")
set(SGIO_AARCH64_LIBJNI "")
set(SGIO_AARCH64_NATIVE_DIR "")
set(_why "${_sgio_cross_why}")
if(_why STREQUAL "")
  find_program(SGIO_AARCH64_CXX aarch64-linux-gnu-g++)
  find_file(SGIO_AARCH64_LIBURING liburing.a PATHS /usr/lib/aarch64-linux-gnu NO_DEFAULT_PATH)
  if(NOT SGIO_AARCH64_CXX)
    set(_why "no aarch64-linux-gnu-g++ (Debian: g++-aarch64-linux-gnu)")
  elseif(NOT SGIO_AARCH64_LIBURING)
    set(_why "no /usr/lib/aarch64-linux-gnu/liburing.a (Debian: liburing-dev:arm64)")
  endif()
endif()
_sgio_cross_option(SGIO_CROSS_AARCH64 linux-aarch64 "${_why}"
  "Also build the linux-aarch64 natives for the jar and nupkg (cross compiler)" _on)
if(_on)
  set(_bin "${CMAKE_BINARY_DIR}/cross-aarch64")
  set(SGIO_AARCH64_NATIVE_DIR "${_bin}/bindings/java/natives/linux-aarch64")
  set(SGIO_AARCH64_LIBSGIO "${SGIO_AARCH64_NATIVE_DIR}/libsgio.so.${PROJECT_VERSION_MAJOR}")
  set(SGIO_AARCH64_LIBJNI "${SGIO_AARCH64_NATIVE_DIR}/libsgio_jni.so")
  # The JNI headers of the host JDK serve the target too (jni.h and linux/jni_md.h are the same on
  # every LP64 Linux); FindJNI in the cross build could not find a JDK for aarch64.
  _sgio_cross_build(sgio_cross_aarch64 "${_bin}" "${PROJECT_SOURCE_DIR}/cmake/toolchain-aarch64-linux-gnu.cmake"
    BYPRODUCTS "${SGIO_AARCH64_LIBSGIO}" "${SGIO_AARCH64_LIBJNI}" "${SGIO_AARCH64_NATIVE_DIR}/libraries.txt"
    ARGS "-DJAVA_INCLUDE_PATH:PATH=${JAVA_INCLUDE_PATH}" "-DJAVA_INCLUDE_PATH2:PATH=${JAVA_INCLUDE_PATH2}")
endif()

# --- windows-x86_64 ---------------------------------------------------------------------------
set(SGIO_WIN64_SGIO_DLL "")
set(SGIO_WIN64_JNI_DLL "")
set(SGIO_WIN64_NATIVE_DIR "")
set(_why "${_sgio_cross_why}")
set(_toolchain "${PROJECT_SOURCE_DIR}/cmake/toolchain-x86_64-w64-mingw32.cmake")
if(_why STREQUAL "")
  find_program(SGIO_WIN64_CXX x86_64-w64-mingw32-g++-posix)
  if(NOT SGIO_WIN64_CXX)
    set(_why "no x86_64-w64-mingw32-g++-posix (Debian: g++-mingw-w64-x86-64-posix)")
  elseif(NOT EXISTS "${_toolchain}")
    set(_why "no ${_toolchain}")
  endif()
endif()
_sgio_cross_option(SGIO_CROSS_WIN64 windows-x86_64 "${_why}"
  "Also build sgio.dll and the JNI DLL (windows-x86_64) for the jar and nupkg (mingw-w64)" _on)
if(_on)
  set(_bin "${CMAKE_BINARY_DIR}/cross-win64")
  set(SGIO_WIN64_NATIVE_DIR "${_bin}/bindings/java/natives/windows-x86_64")
  set(SGIO_WIN64_SGIO_DLL "${SGIO_WIN64_NATIVE_DIR}/sgio.dll")
  set(SGIO_WIN64_JNI_DLL "${SGIO_WIN64_NATIVE_DIR}/sgio_jni.dll")
  # jni.h is the same file on every platform; its jni_md.h is not, and no Windows JDK is here:
  # bindings/java/jni/windows/jni_md.h holds the Windows x64 definitions the JNI spec fixes.
  _sgio_cross_build(sgio_cross_win64 "${_bin}" "${_toolchain}"
    BYPRODUCTS "${SGIO_WIN64_SGIO_DLL}" "${SGIO_WIN64_JNI_DLL}" "${SGIO_WIN64_NATIVE_DIR}/libraries.txt"
    ARGS "-DJAVA_INCLUDE_PATH:PATH=${JAVA_INCLUDE_PATH}"
         "-DJAVA_INCLUDE_PATH2:PATH=${PROJECT_SOURCE_DIR}/bindings/java/jni/windows")
endif()
unset(_on)
unset(_why)
unset(_bin)
unset(_toolchain)
