// SPDX-License-Identifier: Apache-2.0
// doctest's runner for the internals suites; CTest runs one process per suite.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
