# SPDX-License-Identifier: Apache-2.0
# SgioDotnet.cmake - shared settings of the .NET parts (bindings/dotnet, tests/dotnet,
# examples/dotnet, bench/dotnet). Included from each, since examples/ and bench/ are configured
# before bindings/. Sets SGIO_DOTNET_ENABLED and the paths below; targets come from bindings/dotnet.
set(SGIO_DOTNET_ENABLED OFF)
if(NOT SGIO_BUILD_BINDINGS)
  return()
endif()
find_program(SGIO_DOTNET dotnet)
find_package(SWIG 4.0 COMPONENTS csharp)
if(NOT SGIO_DOTNET OR NOT SWIG_FOUND)
  if(CMAKE_CURRENT_SOURCE_DIR STREQUAL "${PROJECT_SOURCE_DIR}/bindings/dotnet")
    message(WARNING "sgio: dotnet or SWIG (csharp) not found: skipping the C# binding, its tests and examples")
  endif()
  return()
endif()
set(SGIO_DOTNET_ENABLED ON)

set(SGIO_DOTNET_ROOT "${CMAKE_BINARY_DIR}/dotnet")
set(SGIO_DOTNET_FEED_DIR "${SGIO_DOTNET_ROOT}/feed")
set(SGIO_DOTNET_PACKAGES_DIR "${SGIO_DOTNET_ROOT}/packages")
set(SGIO_DOTNET_NATIVE_DIR "${SGIO_DOTNET_ROOT}/native")
set(SGIO_DOTNET_PROJECT_DIR "${SGIO_DOTNET_ROOT}/Sgio")
set(SGIO_DOTNET_PROJECT "${SGIO_DOTNET_PROJECT_DIR}/Sgio.csproj")
set(SGIO_DOTNET_PACKAGE "${SGIO_DOTNET_FEED_DIR}/Sgio.${PROJECT_VERSION}.nupkg")
set(SGIO_DOTNET_SYMBOLS_PACKAGE "${SGIO_DOTNET_FEED_DIR}/Sgio.${PROJECT_VERSION}.snupkg")
set(SGIO_DOTNET_VERSION "${PROJECT_VERSION}")

# The dotnet CLI, quiet and kept out of the user's home where it can be.
set(SGIO_DOTNET_COMMAND "${CMAKE_COMMAND}" -E env
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
    DOTNET_GENERATE_ASPNET_CERTIFICATE=0 DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1
    NUGET_PACKAGES=${SGIO_DOTNET_PACKAGES_DIR}
    "${SGIO_DOTNET}")

