# SPDX-License-Identifier: Apache-2.0
# SgioJava.cmake - finds what the Java binding needs (SWIG, a JDK with javac/jar, JNI headers) and
# sets, in the including directory:
#   SGIO_JAVA_ENABLED   ON when the jar can be built (and SGIO_BUILD_BINDINGS is on)
#   SGIO_JAR            the jar's path: ${CMAKE_BINARY_DIR}/bindings/java/sgio.jar (target sgio_jar)
#   SGIO_JAVA_PLATFORM  the jar folder of the native libraries, e.g. linux-x86_64
#   Java_JAVA_EXECUTABLE, Java_JAVAC_EXECUTABLE, Java_JAR_EXECUTABLE (FindJava)
# Included by bindings/java, tests/java, examples/java and bench/java (examples and bench are
# configured before bindings, so each finds for itself; the cache makes repeats cheap).
# A missing tool disables the Java parts with one warning; the C build is never affected.
set(SGIO_JAVA_ENABLED OFF)
set(SGIO_JAR "${CMAKE_BINARY_DIR}/bindings/java/sgio.jar")

if(NOT SGIO_BUILD_BINDINGS)
  return()
endif()

# FindJNI needs JAVA_HOME; derive it from javac when unset (/usr/bin/javac -> .../java-17/bin/javac).
if(NOT DEFINED ENV{JAVA_HOME})
  find_program(SGIO_JAVAC_PATH javac)
  if(SGIO_JAVAC_PATH)
    file(REAL_PATH "${SGIO_JAVAC_PATH}" _sgio_javac)
    get_filename_component(_sgio_jdk "${_sgio_javac}" DIRECTORY)
    get_filename_component(_sgio_jdk "${_sgio_jdk}" DIRECTORY)
    set(ENV{JAVA_HOME} "${_sgio_jdk}")
  endif()
endif()

find_package(SWIG 4.0 QUIET)
find_package(Java 11 QUIET COMPONENTS Runtime Development)
find_package(JNI QUIET COMPONENTS JVM)

set(_sgio_java_missing "")
if(NOT SWIG_FOUND)
  list(APPEND _sgio_java_missing "SWIG >= 4.0")
endif()
if(NOT Java_FOUND OR NOT Java_JAVAC_EXECUTABLE OR NOT Java_JAR_EXECUTABLE)
  list(APPEND _sgio_java_missing "a JDK >= 11 (javac, jar)")
endif()
if(NOT JAVA_INCLUDE_PATH OR NOT JAVA_INCLUDE_PATH2)
  list(APPEND _sgio_java_missing "JNI headers (set JAVA_HOME)")
endif()
if(_sgio_java_missing)
  get_property(_sgio_warned GLOBAL PROPERTY SGIO_JAVA_WARNED)
  if(NOT _sgio_warned)
    message(WARNING "sgio: Java binding skipped, missing: ${_sgio_java_missing}")
    set_property(GLOBAL PROPERTY SGIO_JAVA_WARNED TRUE)
  endif()
  return()
endif()

string(TOLOWER "${CMAKE_SYSTEM_NAME}" _sgio_os)
set(_sgio_arch "${CMAKE_SYSTEM_PROCESSOR}")
if(_sgio_arch MATCHES "^(AMD64|amd64|x64)$")
  set(_sgio_arch x86_64)
elseif(_sgio_arch STREQUAL "arm64")
  set(_sgio_arch aarch64)
endif()
set(SGIO_JAVA_PLATFORM "${_sgio_os}-${_sgio_arch}")
set(SGIO_JAVA_ENABLED ON)
