// SPDX-License-Identifier: Apache-2.0
// Win32FileHandle.cs - the SafeHandle to declare as CreateFile's return type in kernel32 code that
// runs on Linux: SafeFileHandle's release there is close(2) on the value, which is not a
// descriptor for an sgio handle (so it fails with EBADF and the file stays open for the life of the
// process). This one calls CloseHandle: libsgio's on Linux, kernel32's on Windows.
using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sgio
{
    /// <summary>
    /// A Win32 file handle released with <c>CloseHandle</c> (libsgio's off Windows, kernel32's on
    /// Windows). Use it instead of <see cref="SafeFileHandle"/> as the return type of a
    /// <c>[DllImport("kernel32.dll")] CreateFile</c> redirected to libsgio (analyzer SGIO1003).
    /// </summary>
    public sealed class Win32FileHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        /// <summary>Used by the marshaller for return values and out-parameters.</summary>
        public Win32FileHandle() : base(ownsHandle: true) { }

        /// <summary>Wraps an existing handle value.</summary>
        /// <param name="preexistingHandle">The handle.</param>
        /// <param name="ownsHandle">true to close it on Dispose.</param>
        public Win32FileHandle(IntPtr preexistingHandle, bool ownsHandle) : base(ownsHandle)
        {
            SetHandle(preexistingHandle);
        }

        /// <inheritdoc/>
        protected override bool ReleaseHandle() =>
            OperatingSystem.IsWindows() ? WindowsCloseHandle(handle) : Kernel32.CloseHandle(handle);

        [DllImport("kernel32.dll", EntryPoint = "CloseHandle", SetLastError = true)]
        private static extern bool WindowsCloseHandle(IntPtr handle);
    }
}
