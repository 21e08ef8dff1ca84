#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# package_consumer_test.sh FEED VERSION DOTNET WORKROOT
# A user's view of the NuGet package: a new console project in a temp directory outside the repo,
# `dotnet add package Sgio` from the local folder feed (nothing else: no project reference, no
# LD_LIBRARY_PATH), build, run a gather write + scatter read through SgioFile and the Win32 face.
set -euo pipefail
feed=$(realpath "$1") version=$2 dotnet=$3 root=$(realpath -m "$4")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
unset LD_LIBRARY_PATH
mkdir -p "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/sgio-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# A fresh package folder: restore must unpack this build's package, not a cached one.
export NUGET_PACKAGES="$work/packages"
cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
XML
cat > Consumer.csproj <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
</Project>
XML
cat > Program.cs <<'CS'
using System.Runtime.InteropServices;
using System.Threading;
using Sgio;

string path = Path.Combine(args[0], $"consumer-{Environment.ProcessId}.bin");
try
{
    // Idiomatic face: three buffers gathered, scattered back into three others.
    using (var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite | SgioOpenFlags.Create | SgioOpenFlags.Truncate))
    {
        var src = new ReadOnlyMemory<byte>[] { "gather "u8.ToArray(), "write, "u8.ToArray(), "scatter read"u8.ToArray() };
        long n = f.WriteGather(src, 100);
        var dst = new Memory<byte>[] { new byte[10], new byte[16] };
        long m = f.ReadScatter(dst, 100);
        string text = System.Text.Encoding.ASCII.GetString(dst[0].ToArray()) + System.Text.Encoding.ASCII.GetString(dst[1].ToArray());
        Console.WriteLine($"SgioFile: wrote {n}, read {m}: '{text}'");
        if (n != 26 || m != 26 || text != "gather write, scatter read") return 1;
        long a = await f.WriteGatherAsync(src, 4096);
        if (a != 26) return 2;
    }
    // Win32 face: one page gathered and scattered back.
    IntPtr h = Kernel32.CreateFileW(path, Win32.GENERIC_READ | Win32.GENERIC_WRITE, 0, IntPtr.Zero, Win32.OPEN_EXISTING,
                                    Win32.FILE_FLAG_OVERLAPPED | Win32.FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
    if (h == Win32.INVALID_HANDLE_VALUE) { Console.WriteLine($"CreateFileW: {Marshal.GetLastWin32Error()}"); return 3; }
    Kernel32.GetSystemInfo(out SYSTEM_INFO si);
    IntPtr w = Kernel32.VirtualAlloc(IntPtr.Zero, (UIntPtr)(2 * si.dwPageSize), Win32.MEM_COMMIT | Win32.MEM_RESERVE, Win32.PAGE_READWRITE);
    unsafe
    {
        new Span<byte>((void*)w, (int)si.dwPageSize).Fill(0x5A);
        var segs = GC.AllocateArray<FILE_SEGMENT_ELEMENT>(2, pinned: true);
        segs[0].Buffer = w;
        var ov = new NativeOverlapped();
        if (!Kernel32.WriteFileGather(h, segs, si.dwPageSize, IntPtr.Zero, ref ov) && Marshal.GetLastWin32Error() != 997) return 4;
        if (!Kernel32.GetOverlappedResult(h, ref ov, out uint wrote, true) || wrote != si.dwPageSize) return 5;
        segs[0].Buffer = w + (int)si.dwPageSize;
        ov = new NativeOverlapped();
        if (!Kernel32.ReadFileScatter(h, segs, si.dwPageSize, IntPtr.Zero, ref ov) && Marshal.GetLastWin32Error() != 997) return 6;
        if (!Kernel32.GetOverlappedResult(h, ref ov, out uint read, true) || read != si.dwPageSize) return 7;
        if (!new Span<byte>((void*)(w + (int)si.dwPageSize), (int)si.dwPageSize).SequenceEqual(new Span<byte>((void*)w, (int)si.dwPageSize))) return 8;
        Console.WriteLine($"Win32: WriteFileGather {wrote} bytes, ReadFileScatter {read} bytes, verified");
    }
    Kernel32.VirtualFree(w, UIntPtr.Zero, Win32.MEM_RELEASE);
    Kernel32.CloseHandle(h);
    Console.WriteLine($"libsgio {SgioLibrary.Version}: OK");
    return 0;
}
finally
{
    File.Delete(path);
}
CS
"$dotnet" add package Sgio --version "$version"
"$dotnet" build -c Release --nologo -v:q -o out
# The native library came from the package's runtimes/linux-x64/native folder.
test -f out/runtimes/linux-x64/native/libsgio.so || test -f out/libsgio.so
"$dotnet" out/Consumer.dll "$root"
