// SPDX-License-Identifier: Apache-2.0
// doctest's runner for the Win32-face suites (one CTest test per suite and backend).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
