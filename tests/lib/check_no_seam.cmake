# SPDX-License-Identifier: Apache-2.0
# cmake [-DNM=<nm>] -DSHIPPED=<libsgio.so> -DSEAMED=<binary with the seam> -P check_no_seam.cmake
# Fails if the shipped library holds any symbol of the io_uring fault seam (sgio::uring_faults),
# or if the seamed binary holds none (then the search itself would be broken).
# NM: the toolchain's nm (a cross build's binaries need the cross nm); plain nm otherwise.
set(_nm nm)
if(NM)
  set(_nm "${NM}")
endif()
foreach(_what SHIPPED SEAMED)
  execute_process(COMMAND ${_nm} -C "${${_what}}" OUTPUT_VARIABLE _syms RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${_nm} ${${_what}} failed: ${_err}")
  endif()
  string(FIND "${_syms}" "sgio::uring_faults::" _at)
  set(_found_${_what} ${_at})
endforeach()
if(NOT _found_SHIPPED EQUAL -1)
  message(FATAL_ERROR "${SHIPPED} contains the io_uring fault seam (sgio::uring_faults)")
endif()
if(_found_SEAMED EQUAL -1)
  message(FATAL_ERROR "${SEAMED} has no sgio::uring_faults symbols: the check cannot see the seam")
endif()
message(STATUS "no fault seam in ${SHIPPED}")
