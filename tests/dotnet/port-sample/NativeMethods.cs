// SPDX-License-Identifier: Apache-2.0
// NativeMethods.cs - the storage engine's own kernel32 declarations, as Windows code declares them
// (CharSet.Auto CreateFile, GetFileSize, SetFilePointer, FormatMessage with a StringBuilder...).
// Ported to Linux by bindings/dotnet/README.md's port guide only; every line it changed says
// "PORT step N". On Linux they bind to libsgio (Program.Main: step 1).
using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Sgio;

namespace PortSample
{
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    internal struct FILE_SEGMENT_ELEMENT
    {
        [FieldOffset(0)] public IntPtr Buffer;
        [FieldOffset(0)] public ulong Alignment;
    }

    internal static unsafe class NativeMethods
    {
        internal const uint GENERIC_READ = 0x80000000, GENERIC_WRITE = 0x40000000;
        internal const uint OPEN_ALWAYS = 4, OPEN_EXISTING = 3, FILE_BEGIN = 0;
        internal const uint FILE_FLAG_OVERLAPPED = 0x40000000, FILE_FLAG_NO_BUFFERING = 0x20000000;
        internal const uint MEM_COMMIT = 0x1000, MEM_RESERVE = 0x2000, MEM_RELEASE = 0x8000, PAGE_READWRITE = 4;
        internal const int FORMAT_MESSAGE_FROM_SYSTEM = 0x1000, FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
        internal const int ERROR_IO_PENDING = 997;
        internal const uint INVALID_FILE_SIZE = 0xFFFFFFFF;

        // PORT step 3: SafeFileHandle -> Sgio.Win32FileHandle (SGIO1003: SafeFileHandle is close(2)d off Windows).
        [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Auto)]
        internal static extern Win32FileHandle CreateFile(string lpFileName, uint dwDesiredAccess, uint dwShareMode,
            IntPtr lpSecurityAttributes, uint dwCreationDisposition, uint dwFlagsAndAttributes, IntPtr hTemplateFile);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern uint GetFileSize(SafeHandle hFile, out uint lpFileSizeHigh);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern uint SetFilePointer(SafeHandle hFile, int lDistanceToMove, ref int lpDistanceToMoveHigh, uint dwMoveMethod);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern bool SetEndOfFile(SafeHandle hFile);

        [DllImport("kernel32.dll", CharSet = CharSet.Auto)]
        internal static extern int FormatMessage(int dwFlags, IntPtr lpSource, int dwMessageId, int dwLanguageId,
            StringBuilder lpBuffer, int nSize, IntPtr arguments);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern bool WriteFileGather(SafeHandle hFile, FILE_SEGMENT_ELEMENT* aSegmentArray,
            uint nNumberOfBytesToWrite, IntPtr lpReserved, NativeOverlapped* lpOverlapped);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern bool ReadFileScatter(SafeHandle hFile, FILE_SEGMENT_ELEMENT* aSegmentArray,
            uint nNumberOfBytesToRead, IntPtr lpReserved, NativeOverlapped* lpOverlapped);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern IntPtr VirtualAlloc(IntPtr lpAddress, UIntPtr dwSize, uint flAllocationType, uint flProtect);

        [DllImport("kernel32.dll", SetLastError = true)]
        internal static extern bool VirtualFree(IntPtr lpAddress, UIntPtr dwSize, uint dwFreeType);

        /// <summary>The engine's error text: FormatMessage, as on Windows.</summary>
        internal static string Describe(int code)
        {
            var text = new StringBuilder(512);
            int n = FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, IntPtr.Zero, code, 0,
                                  text, text.Capacity, IntPtr.Zero);
            return n > 0 ? text.ToString().TrimEnd() : $"error {code}";
        }

        internal static System.IO.IOException LastError(string what)
        {
            int code = Marshal.GetLastWin32Error();
            return new System.IO.IOException($"{what}: {Describe(code)}", code);
        }

        /// <summary>The segment array of one request: one page per element, NULL-terminated.</summary>
        internal static FILE_SEGMENT_ELEMENT[] Segments(IntPtr[] pages)
        {
            var segments = new FILE_SEGMENT_ELEMENT[pages.Length + 1];
            for (int i = 0; i < pages.Length; i++)
                segments[i].Buffer = pages[i];
            return segments;
        }
    }
}
