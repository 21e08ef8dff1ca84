// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_common.h - export, calling-convention and linkage macros shared by every public header.
 *
 * Nothing here is a function: bindings (SWIG C#/Java) call only real exports.
 */
#ifndef SGIO_COMMON_H
#define SGIO_COMMON_H

#include <stddef.h>
#include <stdint.h>

/*
 * SGIO_API marks an exported function. Visibility is hidden by default (the build passes
 * -fvisibility=hidden), so only functions with SGIO_API and listed in def/sgio.def are exported.
 * On Windows the .def file exports; consumers import.
 */
#if defined(_WIN32)
#  if defined(SGIO_BUILDING) || defined(SGIO_STATIC)
#    define SGIO_API
#  else
#    define SGIO_API __declspec(dllimport)
#  endif
#  define SGIO_CALL __cdecl
#else
#  if defined(__GNUC__) || defined(__clang__)
#    define SGIO_API __attribute__((visibility("default")))
#  else
#    define SGIO_API
#  endif
#  define SGIO_CALL
#endif

/* C++ callers see that no exception ever leaves the library. */
#if defined(__cplusplus)
#  define SGIO_NOEXCEPT noexcept
#  define SGIO_BEGIN_DECL extern "C" {
#  define SGIO_END_DECL }
#else
#  define SGIO_NOEXCEPT
#  define SGIO_BEGIN_DECL
#  define SGIO_END_DECL
#endif

#endif /* SGIO_COMMON_H */
