#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# port_sample_test.sh FEED VERSION DOTNET WORKROOT PACKAGES TFM MODE
# Builds tests/dotnet/port-sample (storage-engine code against kernel32, ported only by the steps
# of bindings/dotnet/README.md) as a fresh project on the Sgio package from FEED, and runs it on
# Linux. MODE: intercept (SgioInterceptBindHandle=true; BindHandle calls unchanged) or explicit
# (SGIO_EXPLICIT_BIND: SgioThreadPool.BindHandle / SgioBoundHandle). Every Sgio analyzer warning is
# an error: the ported code must be clean. net8.0 runs self-contained on the .NET 8 runtime pack.
set -euo pipefail
feed=$(realpath "$1") version=$2 dotnet=$3 root=$(realpath -m "$4") packages=$(realpath -m "$5") tfm=$6 mode=$7
src=$(cd "$(dirname "$0")/port-sample" && pwd)
source "$(dirname "$0")/consumer/project.sh"  # write_nuget_config
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_PACKAGES="$packages"
unset LD_LIBRARY_PATH
major=${tfm#net}; major=${major%%.*}
mkdir -p "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/sgio-port-$tfm-$mode.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$src"/*.cs "$work"/
cd "$work"
intercept=false defines=""
case "$mode" in
  intercept) intercept=true ;;
  explicit) defines="SGIO_EXPLICIT_BIND" ;;
  *) echo "mode: intercept or explicit"; exit 2 ;;
esac
write_nuget_config "$feed"
cat > PortSample.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>$tfm</TargetFramework>
    <Nullable>enable</Nullable>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <DefineConstants>\$(DefineConstants);$defines</DefineConstants>
    <!-- Port guide step 4, the interceptor form. -->
    <SgioInterceptBindHandle>$intercept</SgioInterceptBindHandle>
    <WarningsAsErrors>\$(WarningsAsErrors);SGIO1001;SGIO1002;SGIO1003;SGIO1004</WarningsAsErrors>
    <!-- Windows-only annotations of Overlapped/ThreadPool: this code runs on Linux through Sgio. -->
    <NoWarn>\$(NoWarn);CA1416;CS0618</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Sgio" Version="$version" />
  </ItemGroup>
</Project>
XML
if [ "$major" -ge 10 ]; then
  "$dotnet" build -c Release --nologo -o out -p:EmitCompilerGeneratedFiles=true 2>&1 | tee build.log
  run=("$dotnet" out/PortSample.dll)
else
  "$dotnet" publish -c Release --nologo -r linux-x64 --self-contained true -o pub -p:EmitCompilerGeneratedFiles=true 2>&1 | tee build.log
  run=(pub/PortSample)
fi
generated=$(find obj -name 'SgioBindHandleInterceptors.g.cs' | head -1)
if [ "$mode" = intercept ]; then
  # ThreadPool.BindHandle in PackEngine, ThreadPoolBoundHandle.BindHandle in BoundEngine.
  [ -n "$generated" ] || { echo "FAIL: no interceptors were generated"; exit 1; }
  [ "$(grep -c 'InterceptsLocation(1, ' "$generated")" -eq 2 ] || { cat "$generated"; echo "FAIL: expected 2 intercepted calls"; exit 1; }
else
  [ -z "$generated" ] || { echo "FAIL: interceptors generated without SgioInterceptBindHandle"; exit 1; }
fi
# A lost completion would hang the sample's await: fail after 120 s instead of at CTest's timeout.
timeout 120 "${run[@]}" "$root" "$major" || { rc=$?; [ $rc -eq 124 ] && echo "FAIL: the sample did not finish in 120 s (a completion never arrived?)"; exit $rc; }
