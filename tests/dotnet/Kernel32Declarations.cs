// SPDX-License-Identifier: Apache-2.0
// Kernel32Declarations.cs - a Windows program's own P/Invoke declarations, as written for kernel32
// (the seed's shapes), made to run on Linux by one Sgio.Kernel32.RedirectDllImports call that
// maps "kernel32.dll" to libsgio. Nothing else of the Sgio assembly is used here.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sgio.Tests.SeedOnKernel32
{
    /// <summary>The seed's user-defined type, as a Windows program declares it.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    internal struct FILE_SEGMENT_ELEMENT
    {
        [FieldOffset(0)] public IntPtr Buffer;
        [FieldOffset(0)] public UInt64 Alignment;
    }

    internal static unsafe class Kernel32Dll
    {
        // The one line a port adds: kernel32.dll is libsgio. (Registered before the first call:
        // a static constructor runs before any static method of the class.)
        static Kernel32Dll()
        {
            Sgio.Kernel32.RedirectDllImports(typeof(Kernel32Dll).Assembly);
        }

        [DllImport("kernel32.dll", SetLastError=true)]
        public static extern bool WriteFileGather(IntPtr hFile, [Out] FILE_SEGMENT_ELEMENT []
           aSegmentArray, uint nNumberOfBytesToWrite, IntPtr lpReserved,
           [In] ref System.Threading.NativeOverlapped lpOverlapped);

        [DllImport("kernel32.dll", SetLastError=true)]
        public static extern unsafe int WriteFileGather(IntPtr hFile,
          FILE_SEGMENT_ELEMENT* aSegmentArray, int nNumberOfBytesToWrite,
          IntPtr lpReserved, System.Threading.NativeOverlapped* lpOverlapped);

        [DllImport("kernel32.dll", SetLastError=true)]
        public static extern bool ReadFileScatter(IntPtr hFile, [Out] FILE_SEGMENT_ELEMENT []
           aSegmentArray, uint nNumberOfBytesToRead, IntPtr lpReserved,
           [In] ref System.Threading.NativeOverlapped lpOverlapped);

        [DllImport("kernel32.dll", SetLastError=true)]
        public static extern unsafe int ReadFileScatter(IntPtr hFile,
          FILE_SEGMENT_ELEMENT* aSegmentArray, int nNumberOfBytesToRead,
          IntPtr lpReserved, System.Threading.NativeOverlapped* lpOverlapped);

        // On Windows the runtime finds CreateFileW for "CreateFile" + CharSet.Unicode by appending W;
        // on Linux it does not probe suffixes (EntryPointNotFoundException), so name the export.
        [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode, EntryPoint = "CreateFileW")]
        public static extern IntPtr CreateFile(string lpFileName, uint dwDesiredAccess, uint dwShareMode,
            IntPtr lpSecurityAttributes, uint dwCreationDisposition, uint dwFlagsAndAttributes, IntPtr hTemplateFile);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool CloseHandle(IntPtr hObject);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool GetOverlappedResult(IntPtr hFile, [In] ref NativeOverlapped lpOverlapped,
            out uint lpNumberOfBytesTransferred, bool bWait);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern IntPtr VirtualAlloc(IntPtr lpAddress, UIntPtr dwSize, uint flAllocationType, uint flProtect);

        [DllImport("kernel32.dll", SetLastError = true)]
        public static extern bool VirtualFree(IntPtr lpAddress, UIntPtr dwSize, uint dwFreeType);

        [StructLayout(LayoutKind.Sequential)]
        public struct SYSTEM_INFO
        {
            public ushort wProcessorArchitecture;
            public ushort wReserved;
            public uint dwPageSize;
            public IntPtr lpMinimumApplicationAddress;
            public IntPtr lpMaximumApplicationAddress;
            public IntPtr dwActiveProcessorMask;
            public uint dwNumberOfProcessors;
            public uint dwProcessorType;
            public uint dwAllocationGranularity;
            public ushort wProcessorLevel;
            public ushort wProcessorRevision;
        }

        [DllImport("kernel32.dll")]
        public static extern void GetSystemInfo(out SYSTEM_INFO lpSystemInfo);
    }
}
