# SPDX-License-Identifier: Apache-2.0
# Test plumbing of the Windows build (included by tests/CMakeLists.txt when WIN32):
#  - every test program runs under Wine with a private prefix in the build tree (created here
#    once, quietly: wineboot without the Mono/Gecko installers), WINEDEBUG=-all;
#  - doctest, a header-only host package, is offered to the cross build as one copied header
#    (the host's doctest config would put /usr/include, glibc's headers, on mingw's include path).
set(SGIO_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix")
if(CMAKE_CROSSCOMPILING)
  if(NOT SGIO_WINE64)
    message(FATAL_ERROR "sgio: the Windows tests run under Wine: install wine64 (or configure with -DSGIO_BUILD_TESTS=OFF)")
  endif()
  if(NOT EXISTS "${SGIO_WINEPREFIX}/system.reg")
    message(STATUS "sgio: preparing the Wine prefix ${SGIO_WINEPREFIX} (once)")
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -E env "WINEPREFIX=${SGIO_WINEPREFIX}" WINEDEBUG=-all
              "WINEDLLOVERRIDES=mscoree,mshtml=" "${SGIO_WINE64}" wineboot -i
      RESULT_VARIABLE _wineboot_rc OUTPUT_QUIET ERROR_QUIET TIMEOUT 300)
    if(NOT _wineboot_rc EQUAL 0 OR NOT EXISTS "${SGIO_WINEPREFIX}/system.reg")
      message(FATAL_ERROR "sgio: wineboot failed (${_wineboot_rc}) for ${SGIO_WINEPREFIX}")
    endif()
  endif()
  # Targets made from here on (the suites) get this emulator.
  # tests/windows/wine_run.sh sets the prefix and keeps the wineserver off the tests' pipes.
  set(CMAKE_CROSSCOMPILING_EMULATOR "/bin/sh;${CMAKE_CURRENT_LIST_DIR}/wine_run.sh;${SGIO_WINE64};${SGIO_WINEPREFIX}")
endif()

find_path(SGIO_DOCTEST_INCLUDE_DIR NAMES doctest/doctest.h NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(_doctest_dir "${CMAKE_BINARY_DIR}/doctest-for-windows")
configure_file("${SGIO_DOCTEST_INCLUDE_DIR}/doctest/doctest.h" "${_doctest_dir}/include/doctest/doctest.h" COPYONLY)
file(WRITE "${_doctest_dir}/doctestConfig.cmake"
     "if(NOT TARGET doctest::doctest)\n"
     "  add_library(doctest::doctest INTERFACE IMPORTED)\n"
     "  set_target_properties(doctest::doctest PROPERTIES INTERFACE_INCLUDE_DIRECTORIES \"${_doctest_dir}/include\")\n"
     "endif()\n")
set(doctest_DIR "${_doctest_dir}" CACHE PATH "doctest for the Windows test programs" FORCE)
