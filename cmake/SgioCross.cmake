# SPDX-License-Identifier: Apache-2.0
# SgioCross.cmake - the linux-aarch64 natives inside the normal (x86_64) build, so the default
# build's sgio.jar and Sgio nupkg carry both architectures. When the aarch64 cross compiler is
# installed (g++-aarch64-linux-gnu, liburing-dev:arm64), this same source tree is built again as an
# ExternalProject with cmake/toolchain-aarch64-linux-gnu.cmake and SGIO_JNI_ONLY=ON: libsgio.so and
# libsgio_jni.so only (no tests, examples, bench, jar or nupkg), stripped by bindings/java.
#
# Contract for the bindings (set here, in the top-level scope, before add_subdirectory(bindings)):
#   SGIO_CROSS_AARCH64     option; default ON iff the cross compiler and arm64 liburing.a are found
#                          and SGIO_BUILD_BINDINGS is ON
#   sgio_cross_aarch64     the target that builds them (depend on it)
#   SGIO_AARCH64_LIBSGIO   absolute path of the stripped aarch64 libsgio, named by its SONAME
#                          libsgio.so.<major> (e.g. libsgio.so.1; rename to libsgio.so for P/Invoke)
#   SGIO_AARCH64_LIBJNI    absolute path of the stripped aarch64 libsgio_jni.so (RUNPATH $ORIGIN,
#                          needs libsgio.so.<major> beside it)
#   SGIO_AARCH64_NATIVE_DIR the folder holding both plus libraries.txt (the jar's native/linux-aarch64)
# All three paths are empty when SGIO_CROSS_AARCH64 is OFF: the packages then lack linux-aarch64.
set(SGIO_AARCH64_LIBSGIO "")
set(SGIO_AARCH64_LIBJNI "")
set(SGIO_AARCH64_NATIVE_DIR "")

set(_sgio_cross_possible OFF)
set(_sgio_cross_why "")
if(CMAKE_CROSSCOMPILING)
  set(_sgio_cross_why "this build is itself a cross build")
elseif(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(_sgio_cross_why "the host is not linux-x86_64")
elseif(NOT SGIO_BUILD_BINDINGS)
  set(_sgio_cross_why "SGIO_BUILD_BINDINGS is OFF")
else()
  find_program(SGIO_AARCH64_CXX aarch64-linux-gnu-g++)
  find_file(SGIO_AARCH64_LIBURING liburing.a PATHS /usr/lib/aarch64-linux-gnu NO_DEFAULT_PATH)
  if(NOT SGIO_AARCH64_CXX)
    set(_sgio_cross_why "no aarch64-linux-gnu-g++ (Debian: g++-aarch64-linux-gnu)")
  elseif(NOT SGIO_AARCH64_LIBURING)
    set(_sgio_cross_why "no /usr/lib/aarch64-linux-gnu/liburing.a (Debian: liburing-dev:arm64)")
  else()
    # The cross build lays out its natives with the JNI library (bindings/java), so it needs
    # what the Java binding needs (SWIG, the JDK's jni.h); it also hands us the JNI headers.
    include(${PROJECT_SOURCE_DIR}/bindings/java/SgioJava.cmake)
    if(SGIO_JAVA_ENABLED)
      set(_sgio_cross_possible ON)
    else()
      set(_sgio_cross_why "the Java binding's tools (SWIG, a JDK) are missing")
    endif()
  endif()
endif()

option(SGIO_CROSS_AARCH64 "Also build the linux-aarch64 natives for the jar and nupkg (cross compiler)"
       ${_sgio_cross_possible})
if(SGIO_CROSS_AARCH64 AND NOT _sgio_cross_possible)
  message(WARNING "sgio: SGIO_CROSS_AARCH64 is ON but ${_sgio_cross_why}; linux-aarch64 natives not built")
  return()
endif()
if(NOT SGIO_CROSS_AARCH64)
  if(SGIO_BUILD_BINDINGS AND NOT CMAKE_CROSSCOMPILING)
    if(_sgio_cross_why)
      message(STATUS "sgio: linux-aarch64 natives not built (${_sgio_cross_why}): sgio.jar and the nupkg carry linux-x86_64 only")
    else()
      message(STATUS "sgio: linux-aarch64 natives not built (SGIO_CROSS_AARCH64=OFF): sgio.jar and the nupkg carry linux-x86_64 only")
    endif()
  endif()
  return()
endif()

include(ExternalProject)
set(_sgio_cross_bin "${CMAKE_BINARY_DIR}/cross-aarch64")
# bindings/java lays out its stripped natives in <bin>/bindings/java/natives/<platform>/.
set(SGIO_AARCH64_NATIVE_DIR "${_sgio_cross_bin}/bindings/java/natives/linux-aarch64")
set(SGIO_AARCH64_LIBSGIO "${SGIO_AARCH64_NATIVE_DIR}/libsgio.so.${PROJECT_VERSION_MAJOR}")
set(SGIO_AARCH64_LIBJNI "${SGIO_AARCH64_NATIVE_DIR}/libsgio_jni.so")

# The JNI headers of the host JDK serve the target too (jni.h and linux/jni_md.h are the same on
# every LP64 Linux); FindJNI in the cross build could not find a JDK for aarch64.
set(_sgio_cross_jni_args
  "-DJAVA_INCLUDE_PATH:PATH=${JAVA_INCLUDE_PATH}" "-DJAVA_INCLUDE_PATH2:PATH=${JAVA_INCLUDE_PATH2}")

set(_sgio_cross_build_type "${CMAKE_BUILD_TYPE}")
if(NOT _sgio_cross_build_type)
  set(_sgio_cross_build_type RelWithDebInfo)
endif()

ExternalProject_Add(sgio_cross_aarch64
  SOURCE_DIR "${PROJECT_SOURCE_DIR}"
  BINARY_DIR "${_sgio_cross_bin}"
  CMAKE_ARGS
    "-DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchain-aarch64-linux-gnu.cmake"
    "-DCMAKE_BUILD_TYPE=${_sgio_cross_build_type}"
    -DSGIO_JNI_ONLY=ON
    -DSGIO_BUILD_TESTS=OFF
    -DSGIO_BUILD_EXAMPLES=OFF
    -DSGIO_BUILD_BENCH=OFF
    -DSGIO_BUILD_BINDINGS=ON
    ${_sgio_cross_jni_args}
  BUILD_COMMAND "${CMAKE_COMMAND}" --build "${_sgio_cross_bin}" --target sgio_jni_natives
  # Sources are this tree: rebuild (a no-op when nothing changed) on every build of the parent.
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS "${SGIO_AARCH64_LIBSGIO}" "${SGIO_AARCH64_LIBJNI}" "${SGIO_AARCH64_NATIVE_DIR}/libraries.txt"
  INSTALL_COMMAND ""
  TEST_COMMAND ""
  USES_TERMINAL_BUILD ON)
message(STATUS "sgio: linux-aarch64 natives cross-built in ${_sgio_cross_bin} (target sgio_cross_aarch64)")
