#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# consumer_seed_test.sh FEED VERSION DOTNET WORKROOT PACKAGES TFM
# A fresh console app for TFM (net8.0 or net10.0) takes the Sgio package from the local feed and
#  1. compiles the seed's code as published (SeedAsIs.cs): the package's analyzers must report
#     SGIO1001 ([Out] FILE_SEGMENT_ELEMENT[]) and SGIO1002 ((uint) address cast) in the build output;
#  2. runs the seed's flow as a port does it: its own [DllImport("kernel32.dll")] declarations,
#     Sgio.Kernel32.RedirectDllImports, VirtualAlloc'd pages, the segment loop with the analyzer's
#     fix, WriteFileGather/ReadFileScatter + GetOverlappedResult; then SgioFile sync, async and
#     DisposeAsync. net8.0 is published self-contained for linux-x64 (runtime pack from NuGet), so
#     it runs on the real .NET 8 runtime; the app checks Environment.Version's major. net10.0 runs
#     from the build output (runtimes/linux-x64/native) and again as a single-file app.
set -euo pipefail
feed=$(realpath "$1") version=$2 dotnet=$3 root=$(realpath -m "$4") packages=$(realpath -m "$5") tfm=$6
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_PACKAGES="$packages"
unset LD_LIBRARY_PATH
major=${tfm#net}; major=${major%%.*}
mkdir -p "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/sgio-seed-$tfm.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > NuGet.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Sgio" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
cat > Consumer.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>$tfm</TargetFramework>
    <Nullable>disable</Nullable>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <ImplicitUsings>enable</ImplicitUsings>
    <NoWarn>\$(NoWarn);CA1416;CS0169;CS8321</NoWarn>
  </PropertyGroup>
</Project>
XML
# The seed (shared/seed/WriteFileGather.pinvoke.txt) as published: compiled, never run.
cat > SeedAsIs.cs <<'CS'
using System;
using System.Runtime.InteropServices;
using System.Threading;

static unsafe class SeedAsIs
{
[DllImport("kernel32.dll", SetLastError=true)]
static extern bool WriteFileGather(IntPtr hFile, [Out] FILE_SEGMENT_ELEMENT []
   aSegmentArray, uint nNumberOfBytesToWrite, IntPtr lpReserved,
   [In] ref System.Threading.NativeOverlapped lpOverlapped);

    static void Loop(IntPtr[] ABuffers, int ACount, int ASize, int FPageSize)
    {
int LPerBufferPageCount = ASize / FPageSize;
FILE_SEGMENT_ELEMENT* LElements = stackalloc FILE_SEGMENT_ELEMENT[(ACount * LPerBufferPageCount) + 1];
for (int LElementIndex = 0; LElementIndex < ACount; LElementIndex++)
  for (int LPageIndex = 0; LPageIndex < LPerBufferPageCount; LPageIndex++)
   LElements[(LElementIndex * LPerBufferPageCount) + LPageIndex].Buffer =
    (IntPtr)((uint)ABuffers[LElementIndex] + (LPageIndex * FPageSize));
LElements[(ACount * LPerBufferPageCount)].Buffer = IntPtr.Zero;
    }
}
CS
cat > Program.cs <<'CS'
using System.Runtime.InteropServices;
using System.Threading;
using Sgio;

[StructLayout(LayoutKind.Explicit, Size = 8)]
struct FILE_SEGMENT_ELEMENT
{
    [FieldOffset(0)] public IntPtr Buffer;
    [FieldOffset(0)] public UInt64 Alignment;
}

[StructLayout(LayoutKind.Sequential)]
struct SYSTEM_INFO
{
    public ushort wProcessorArchitecture, wReserved; public uint dwPageSize;
    public IntPtr lpMinimumApplicationAddress, lpMaximumApplicationAddress, dwActiveProcessorMask;
    public uint dwNumberOfProcessors, dwProcessorType, dwAllocationGranularity;
    public ushort wProcessorLevel, wProcessorRevision;
}

// A Windows program's own declarations, unchanged but for CreateFileW's entry point.
static unsafe class Kernel32Dll
{
    static Kernel32Dll() => Sgio.Kernel32.RedirectDllImports(typeof(Kernel32Dll).Assembly);

    [DllImport("kernel32.dll", SetLastError=true)]
    public static extern unsafe int WriteFileGather(IntPtr hFile, FILE_SEGMENT_ELEMENT* aSegmentArray, int nNumberOfBytesToWrite,
      IntPtr lpReserved, System.Threading.NativeOverlapped* lpOverlapped);
    [DllImport("kernel32.dll", SetLastError=true)]
    public static extern unsafe int ReadFileScatter(IntPtr hFile, FILE_SEGMENT_ELEMENT* aSegmentArray, int nNumberOfBytesToRead,
      IntPtr lpReserved, System.Threading.NativeOverlapped* lpOverlapped);
    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode, EntryPoint = "CreateFileW")]
    public static extern IntPtr CreateFile(string lpFileName, uint dwDesiredAccess, uint dwShareMode, IntPtr lpSecurityAttributes,
      uint dwCreationDisposition, uint dwFlagsAndAttributes, IntPtr hTemplateFile);
    [DllImport("kernel32.dll", SetLastError = true)]
    public static extern bool GetOverlappedResult(IntPtr hFile, NativeOverlapped* lpOverlapped, out uint lpNumberOfBytesTransferred, bool bWait);
    [DllImport("kernel32.dll", SetLastError = true)]
    public static extern bool CloseHandle(IntPtr hObject);
    [DllImport("kernel32.dll", SetLastError = true)]
    public static extern IntPtr VirtualAlloc(IntPtr lpAddress, UIntPtr dwSize, uint flAllocationType, uint flProtect);
    [DllImport("kernel32.dll", SetLastError = true)]
    public static extern bool VirtualFree(IntPtr lpAddress, UIntPtr dwSize, uint dwFreeType);
    [DllImport("kernel32.dll")]
    public static extern void GetSystemInfo(out SYSTEM_INFO lpSystemInfo);
}

static class Program
{
    const uint GENERIC_READ = 0x80000000, GENERIC_WRITE = 0x40000000, CREATE_ALWAYS = 2;
    const uint FILE_FLAG_OVERLAPPED = 0x40000000, FILE_FLAG_NO_BUFFERING = 0x20000000;
    const uint MEM_COMMIT = 0x1000, MEM_RESERVE = 0x2000, MEM_RELEASE = 0x8000, PAGE_READWRITE = 4;
    const int ERROR_IO_PENDING = 997;

    // The seed's segment loop with SGIO1002's fix ((nint) instead of (uint)), then one gather or scatter.
    static unsafe uint Transfer(bool write, IntPtr h, IntPtr[] ABuffers, int ACount, int ASize, int FPageSize, long offset)
    {
        int LPerBufferPageCount = ASize / FPageSize;
        FILE_SEGMENT_ELEMENT* LElements = stackalloc FILE_SEGMENT_ELEMENT[(ACount * LPerBufferPageCount) + 1];
        for (int LElementIndex = 0; LElementIndex < ACount; LElementIndex++)
            for (int LPageIndex = 0; LPageIndex < LPerBufferPageCount; LPageIndex++)
                LElements[(LElementIndex * LPerBufferPageCount) + LPageIndex].Buffer =
                    (IntPtr)((nint)ABuffers[LElementIndex] + (LPageIndex * FPageSize));
        LElements[(ACount * LPerBufferPageCount)].Buffer = IntPtr.Zero;
        var ov = (NativeOverlapped*)NativeMemory.AllocZeroed((nuint)sizeof(NativeOverlapped));
        try
        {
            ov->OffsetLow = (int)offset; ov->OffsetHigh = (int)(offset >> 32);
            int ok = write ? Kernel32Dll.WriteFileGather(h, LElements, ACount * ASize, IntPtr.Zero, ov)
                           : Kernel32Dll.ReadFileScatter(h, LElements, ACount * ASize, IntPtr.Zero, ov);
            if (ok == 0 && Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
                throw new Win32IOException(Marshal.GetLastWin32Error());
            if (!Kernel32Dll.GetOverlappedResult(h, ov, out uint done, true))
                throw Win32IOException.FromLastError("GetOverlappedResult");
            return done;
        }
        finally { NativeMemory.Free(ov); }
    }

    // The seed's flow: VirtualAlloc'd buffers gathered to the file, scattered back, compared.
    static unsafe int SeedFlow(string path)
    {
        Kernel32Dll.GetSystemInfo(out SYSTEM_INFO si);
        int page = (int)si.dwPageSize, count = 3, size = 4 * page;
        var w = new IntPtr[count]; var r = new IntPtr[count];
        for (int i = 0; i < count; i++)
        {
            w[i] = Kernel32Dll.VirtualAlloc(IntPtr.Zero, (UIntPtr)size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            r[i] = Kernel32Dll.VirtualAlloc(IntPtr.Zero, (UIntPtr)size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            new Span<byte>((void*)w[i], size).Fill((byte)(0x31 + i));
        }
        IntPtr h = Kernel32Dll.CreateFile(path, GENERIC_READ | GENERIC_WRITE, 0, IntPtr.Zero, CREATE_ALWAYS,
                                          FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
        if (h == new IntPtr(-1)) throw Win32IOException.FromLastError("CreateFile");
        uint wrote = Transfer(true, h, w, count, size, page, 2L * page);
        uint read = Transfer(false, h, r, count, size, page, 2L * page);
        for (int i = 0; i < count; i++)
            if (!new Span<byte>((void*)r[i], size).SequenceEqual(new Span<byte>((void*)w[i], size))) return 11;
        Kernel32Dll.CloseHandle(h);
        foreach (IntPtr p in w.Concat(r)) Kernel32Dll.VirtualFree(p, UIntPtr.Zero, MEM_RELEASE);
        Console.WriteLine($"seed flow: WriteFileGather {wrote} bytes, ReadFileScatter {read} bytes, verified");
        return wrote == count * size && read == count * size ? 0 : 12;
    }

    static async Task<int> Main(string[] args)
    {
        int expectedMajor = int.Parse(args[1]);
        Console.WriteLine($"runtime {Environment.Version} ({RuntimeInformation.FrameworkDescription})");
        if (Environment.Version.Major != expectedMajor) { Console.WriteLine($"expected .NET {expectedMajor}"); return 10; }
        string path = Path.Combine(args[0], $"seed-consumer-{Environment.ProcessId}.bin");
        try
        {
            int rc = SeedFlow(path);
            if (rc != 0) return rc;
            await using (var f = SgioFile.Open(path, SgioOpenFlags.ReadWrite))
            {
                var src = new ReadOnlyMemory<byte>[] { "gather "u8.ToArray(), "write"u8.ToArray() };
                long n = await f.WriteGatherAsync(src, 0);
                var dst = new Memory<byte>[] { new byte[5], new byte[7] };
                long m = f.ReadScatter(dst, 0);
                string text = System.Text.Encoding.ASCII.GetString(dst[0].Span) + System.Text.Encoding.ASCII.GetString(dst[1].Span);
                Console.WriteLine($"SgioFile: wrote {n}, read {m}: '{text}'");
                if (n != 12 || m != 12 || text != "gather write") return 13;
            }
            Console.WriteLine($"libsgio {SgioLibrary.Version} on .NET {Environment.Version.Major}: OK");
            return 0;
        }
        finally { File.Delete(path); }
    }
}
CS
"$dotnet" add package Sgio --version "$version" >/dev/null
if [ "$major" -ge 10 ]; then
  "$dotnet" build -c Release --nologo -o out 2>&1 | tee build.log
  run=("$dotnet" out/Consumer.dll)
else
  # Self-contained: the .NET $major runtime pack comes from NuGet, the app runs on it.
  "$dotnet" publish -c Release --nologo -r linux-x64 --self-contained true -o pub 2>&1 | tee build.log
  test -f pub/libsgio.so
  run=(pub/Consumer)
fi
for id in SGIO1001 SGIO1002; do
  grep -q "warning $id" build.log || { echo "FAIL: the package's analyzer did not report $id"; exit 1; }
done
grep -q "SeedAsIs.cs.*warning SGIO1002" build.log
grep -q "Program.cs.*warning SGIO" build.log && { echo "FAIL: analyzer warning on the fixed code"; exit 1; }
"${run[@]}" "$root" "$major"
if [ "$major" -ge 10 ]; then
  # Single-file: libsgio is bundled and extracted at start-up; RedirectDllImports must find it there.
  "$dotnet" publish -c Release --nologo -r linux-x64 --self-contained false -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true -o single > single.log 2>&1 || { cat single.log; exit 1; }
  [ ! -e single/libsgio.so ] || { echo "FAIL: libsgio.so was not bundled into the single file"; exit 1; }
  DOTNET_BUNDLE_EXTRACT_BASE_DIR="$work/extract" single/Consumer "$root" "$major"
fi
