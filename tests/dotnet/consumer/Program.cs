// SPDX-License-Identifier: Apache-2.0
// The consumer app of consumer_seed_test.sh (Linux) and wine_app_test.sh (win-x64 under Wine): the
// seed's flow through a Windows program's own kernel32 declarations, then SgioFile.
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

    // The same round trip through the package's own declarations (Sgio.Kernel32, the array form of
    // the seed's signature): libsgio on Linux; on Windows sgio.dll, whose names forward to kernel32.
    static int BindingFlow(string path)
    {
        Sgio.Kernel32.GetSystemInfo(out Sgio.SYSTEM_INFO si);
        int page = (int)si.dwPageSize, pages = 3;
        IntPtr w = Sgio.Kernel32.VirtualAlloc(IntPtr.Zero, (UIntPtr)(pages * page), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        IntPtr r = Sgio.Kernel32.VirtualAlloc(IntPtr.Zero, (UIntPtr)(pages * page), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (w == IntPtr.Zero || r == IntPtr.Zero) throw Win32IOException.FromLastError("VirtualAlloc");
        for (int i = 0; i < pages * page; i++) Marshal.WriteByte(w, i, (byte)(i * 7 + 1));
        var ws = new Sgio.FILE_SEGMENT_ELEMENT[pages + 1];
        var rs = new Sgio.FILE_SEGMENT_ELEMENT[pages + 1];
        for (int i = 0; i < pages; i++) { ws[i].Buffer = w + i * page; rs[i].Buffer = r + i * page; }
        IntPtr h = Sgio.Kernel32.CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, IntPtr.Zero, CREATE_ALWAYS,
                                             FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
        if (h == new IntPtr(-1)) throw Win32IOException.FromLastError("CreateFileW");
        try
        {
            var ov = new NativeOverlapped();
            uint wrote = 0, read = 0;
            if (!Sgio.Kernel32.WriteFileGather(h, ws, (uint)(pages * page), IntPtr.Zero, ref ov)
                && Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
                throw Win32IOException.FromLastError("WriteFileGather");
            if (!Sgio.Kernel32.GetOverlappedResult(h, ref ov, out wrote, true)) throw Win32IOException.FromLastError("GetOverlappedResult");
            ov = new NativeOverlapped();
            if (!Sgio.Kernel32.ReadFileScatter(h, rs, (uint)(pages * page), IntPtr.Zero, ref ov)
                && Marshal.GetLastWin32Error() != ERROR_IO_PENDING)
                throw Win32IOException.FromLastError("ReadFileScatter");
            if (!Sgio.Kernel32.GetOverlappedResult(h, ref ov, out read, true)) throw Win32IOException.FromLastError("GetOverlappedResult");
            for (int i = 0; i < pages * page; i++)
                if (Marshal.ReadByte(r, i) != (byte)(i * 7 + 1)) return 14;
            Console.WriteLine($"Sgio.Kernel32: WriteFileGather {wrote} bytes, ReadFileScatter {read} bytes, verified");
            return wrote == pages * page && read == pages * page ? 0 : 15;
        }
        finally
        {
            Sgio.Kernel32.CloseHandle(h);
            Sgio.Kernel32.VirtualFree(w, UIntPtr.Zero, MEM_RELEASE);
            Sgio.Kernel32.VirtualFree(r, UIntPtr.Zero, MEM_RELEASE);
        }
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
            if (rc == 0) rc = BindingFlow(path);
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
