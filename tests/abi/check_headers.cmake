# SPDX-License-Identifier: Apache-2.0
# cmake -DCOMPILER=<cc> -DSTD=<c99|c++17> -DINCLUDE_DIR=<capi/include> -DWORK_DIR=<dir> -P check_headers.cmake
#
# Every public header (found by glob, so new headers are covered automatically) must compile on
# its own, as the first and only include of a translation unit, with -Wall -Wextra -pedantic -Werror.
foreach(var COMPILER STD INCLUDE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_headers.cmake: -D${var}= is required")
  endif()
endforeach()

if(STD MATCHES "^c\\+\\+")
  set(ext cpp)
else()
  set(ext c)
endif()

file(GLOB headers RELATIVE "${INCLUDE_DIR}" "${INCLUDE_DIR}/sgio/*.h")
list(SORT headers)
if(headers STREQUAL "")
  message(FATAL_ERROR "no headers found in ${INCLUDE_DIR}/sgio")
endif()
file(MAKE_DIRECTORY "${WORK_DIR}")

set(failed "")
foreach(header IN LISTS headers)
  string(MAKE_C_IDENTIFIER "${header}" id)
  set(src "${WORK_DIR}/${id}.${ext}")
  # Include twice: the include guard must work too. The dummy declaration keeps -pedantic from
  # complaining about an otherwise empty translation unit.
  file(WRITE "${src}" "#include <${header}>\n#include <${header}>\nint sgio_header_check_${id};\n")
  execute_process(
    COMMAND "${COMPILER}" -std=${STD} -Wall -Wextra -pedantic -Werror -fsyntax-only -I "${INCLUDE_DIR}" "${src}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(rc EQUAL 0)
    message(STATUS "ok    ${header} (${STD})")
  else()
    message(STATUS "FAIL  ${header} (${STD}):\n${out}")
    list(APPEND failed "${header}")
  endif()
endforeach()

list(LENGTH headers n)
if(failed)
  message(FATAL_ERROR "${STD} with ${COMPILER}: these headers do not compile alone: ${failed}")
endif()
message(STATUS "${n} headers compile alone as ${STD} with ${COMPILER}")
