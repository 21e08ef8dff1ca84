// SPDX-License-Identifier: Apache-2.0
// doctest's runner for the native-face suites. CTest runs one process per test suite
// (--test-suite=<name>), so a crash in one suite is reported against that suite only.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
