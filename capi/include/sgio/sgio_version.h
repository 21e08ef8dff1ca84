// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_version.h - the version of the headers and of the loaded library.
 *
 * Versions with the same major number are ABI compatible: symbols are only added, in a new symbol
 * version node, and never removed or changed; libsgio.so.MAJOR is the SONAME.
 */
#ifndef SGIO_VERSION_H
#define SGIO_VERSION_H

#include "sgio/sgio_common.h"

/* The one source of the version: CMakeLists.txt reads these three lines with a regular expression
 * (SOVERSION = MAJOR); new symbols go into a new version node of def/sgio.def. */
#define SGIO_VERSION_MAJOR 1
#define SGIO_VERSION_MINOR 2
#define SGIO_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, for compile-time comparisons. */
#define SGIO_VERSION_NUMBER (SGIO_VERSION_MAJOR * 10000 + SGIO_VERSION_MINOR * 100 + SGIO_VERSION_PATCH)

SGIO_BEGIN_DECL

/**
 * @brief The version of the loaded library, which may be newer than the headers you compiled with.
 *
 * Compare it with SGIO_VERSION_NUMBER (the headers' version) to detect a library older than the
 * headers; within one major version a newer library is ABI compatible.
 * @param[out] major, minor, patch  receive the three numbers; each may be NULL.
 * @return MAJOR * 10000 + MINOR * 100 + PATCH of the loaded library (SGIO_VERSION_NUMBER's formula).
 * @since 1.0
 */
SGIO_API uint32_t SGIO_CALL sgio_version(uint32_t* major, uint32_t* minor, uint32_t* patch) SGIO_NOEXCEPT;

/**
 * @brief The version of the loaded library as text.
 * @return "MAJOR.MINOR.PATCH", e.g. "1.0.0"; static storage, never NULL.
 * @since 1.0
 */
SGIO_API const char* SGIO_CALL sgio_version_string(void) SGIO_NOEXCEPT;

SGIO_END_DECL

#endif /* SGIO_VERSION_H */
