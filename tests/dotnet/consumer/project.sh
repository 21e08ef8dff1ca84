# SPDX-License-Identifier: Apache-2.0
# Sourced by the .NET consumer tests (consumer_seed_test.sh, wine_app_test.sh, package_rid_test.sh,
# port_sample_test.sh):
# the project files of a fresh app that takes Sgio from this build's feed.

# write_nuget_config FEED: Sgio only from FEED, everything else (runtime packs, ...) from nuget.org.
write_nuget_config() {
  cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$1" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Sgio" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
}

# write_consumer_csproj TFM [PROPERTY_XML]: Consumer.csproj, the console app of tests/dotnet/consumer
# (unsafe code, implicit usings; the warnings its Windows-shaped code gets on purpose are off).
write_consumer_csproj() {
  cat > Consumer.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>$1</TargetFramework>
    <Nullable>disable</Nullable>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <ImplicitUsings>enable</ImplicitUsings>
    <NoWarn>\$(NoWarn);CA1416;CS0169;CS8321</NoWarn>
    ${2:-}
  </PropertyGroup>
</Project>
XML
}
