// SPDX-License-Identifier: Apache-2.0
// Win32Error.cs - Windows' wording of the Win32 error codes libsgio's Win32 face sets, and an
// IOException that carries one. On Linux, new Win32Exception(87).Message is strerror(87) ("Too many
// users"); Win32Error.Message(87) is what FormatMessage says on Windows: "The parameter is incorrect."
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace Sgio
{
    /// <summary>Names and Windows' messages of the Win32 error codes (winerror.h) that sgio can set.</summary>
    public static class Win32Error
    {
        // THE table: (code, winerror.h name, FormatMessage text in en-US without the trailing CRLF).
        // Every ERROR_* code of capi/include/sgio/sgio_win32.h plus WAIT_TIMEOUT (GetOverlappedResultEx's
        // last error on timeout). Kept as plain rows so it can later be generated from the C side's
        // FormatMessage table; tests/dotnet checks it against the header's constants.
        private static readonly (int Code, string Name, string Message)[] s_rows =
        {
            (0, "ERROR_SUCCESS", "The operation completed successfully."),
            (1, "ERROR_INVALID_FUNCTION", "Incorrect function."),
            (2, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified."),
            (3, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified."),
            (4, "ERROR_TOO_MANY_OPEN_FILES", "The system cannot open the file."),
            (5, "ERROR_ACCESS_DENIED", "Access is denied."),
            (6, "ERROR_INVALID_HANDLE", "The handle is invalid."),
            (8, "ERROR_NOT_ENOUGH_MEMORY", "Not enough memory resources are available to process this command."),
            (14, "ERROR_OUTOFMEMORY", "Not enough memory resources are available to complete this operation."),
            (19, "ERROR_WRITE_PROTECT", "The media is write protected."),
            (32, "ERROR_SHARING_VIOLATION", "The process cannot access the file because it is being used by another process."),
            (38, "ERROR_HANDLE_EOF", "Reached the end of the file."),
            (50, "ERROR_NOT_SUPPORTED", "The request is not supported."),
            (80, "ERROR_FILE_EXISTS", "The file exists."),
            (87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect."),
            (112, "ERROR_DISK_FULL", "There is not enough space on the disk."),
            (123, "ERROR_INVALID_NAME", "The filename, directory name, or volume label syntax is incorrect."),
            (131, "ERROR_NEGATIVE_SEEK", "An attempt was made to move the file pointer before the beginning of the file."),
            (145, "ERROR_DIR_NOT_EMPTY", "The directory is not empty."),
            (183, "ERROR_ALREADY_EXISTS", "Cannot create a file when that file already exists."),
            (206, "ERROR_FILENAME_EXCED_RANGE", "The filename or extension is too long."),
            (223, "ERROR_FILE_TOO_LARGE", "The file size exceeds the limit allowed and cannot be saved."),
            (258, "WAIT_TIMEOUT", "The wait operation timed out."),
            (487, "ERROR_INVALID_ADDRESS", "Attempt to access invalid address."),
            (735, "ERROR_ABANDONED_WAIT_0", "ERROR_ABANDONED_WAIT_0"),
            (995, "ERROR_OPERATION_ABORTED", "The I/O operation has been aborted because of either a thread exit or an application request."),
            (996, "ERROR_IO_INCOMPLETE", "Overlapped I/O event is not in a signaled state."),
            (997, "ERROR_IO_PENDING", "Overlapped I/O operation is in progress."),
            (998, "ERROR_NOACCESS", "Invalid access to memory location."),
            (1168, "ERROR_NOT_FOUND", "Element not found."),
            (1450, "ERROR_NO_SYSTEM_RESOURCES", "Insufficient system resources exist to complete the requested service."),
            (1784, "ERROR_INVALID_USER_BUFFER", "The supplied user buffer is not valid for the requested operation."),
        };

        private static readonly Dictionary<int, (string Name, string Message)> s_byCode = Index();

        private static Dictionary<int, (string, string)> Index()
        {
            var d = new Dictionary<int, (string, string)>(s_rows.Length);
            foreach (var (code, name, message) in s_rows)
                d.Add(code, (name, message));
            return d;
        }

        /// <summary>The codes this table knows, in ascending order.</summary>
        public static IReadOnlyList<int> KnownCodes
        {
            get
            {
                var codes = new int[s_rows.Length];
                for (int i = 0; i < codes.Length; i++)
                    codes[i] = s_rows[i].Code;
                return codes;
            }
        }

        /// <summary>
        /// Windows' message for <paramref name="code"/> (FormatMessage, en-US, without the trailing line
        /// break), e.g. 87 → "The parameter is incorrect."; for a code sgio never sets,
        /// "Unknown error (0x…)" as .NET prints on Windows.
        /// </summary>
        public static string Message(int code) =>
            s_byCode.TryGetValue(code, out var row) ? row.Message : $"Unknown error (0x{code:x})";

        /// <summary>The winerror.h name of <paramref name="code"/> (e.g. "ERROR_INVALID_PARAMETER"), or null.</summary>
        public static string? Name(int code) => s_byCode.TryGetValue(code, out var row) ? row.Name : null;

        /// <summary>HRESULT_FROM_WIN32(<paramref name="code"/>): 0x8007xxxx, as .NET on Windows sets IOException.HResult.</summary>
        public static int ToHResult(int code) => code <= 0 ? code : unchecked((int)(0x80070000u | ((uint)code & 0xFFFFu)));
    }

    /// <summary>
    /// A Win32 error of the Win32 face, as an <see cref="IOException"/> with Windows' message
    /// (<see cref="Win32Error.Message"/>), the code in <see cref="NativeErrorCode"/> and
    /// HRESULT_FROM_WIN32(code) in <see cref="Exception.HResult"/>.
    /// </summary>
    public class Win32IOException : IOException
    {
        /// <summary>The Win32 error code (e.g. 87 for ERROR_INVALID_PARAMETER).</summary>
        public int NativeErrorCode { get; }

        /// <summary>An exception for <paramref name="errorCode"/>, with Windows' message.</summary>
        public Win32IOException(int errorCode) : this(errorCode, Win32Error.Message(errorCode)) { }

        /// <summary>An exception for <paramref name="errorCode"/> with a message of your own.</summary>
        public Win32IOException(int errorCode, string message) : base(message, Win32Error.ToHResult(errorCode))
        {
            NativeErrorCode = errorCode;
        }

        /// <summary>
        /// The exception for the last error of the calling thread's last <c>SetLastError=true</c>
        /// P/Invoke (<see cref="Marshal.GetLastPInvokeError"/>): call it right after the failing call.
        /// </summary>
        public static Win32IOException FromLastError() => new Win32IOException(Marshal.GetLastPInvokeError());

        /// <summary>The exception with <paramref name="what"/> (e.g. the function and path) before Windows' message.</summary>
        public static Win32IOException FromLastError(string what)
        {
            int code = Marshal.GetLastPInvokeError();
            return new Win32IOException(code, $"{what}: {Win32Error.Message(code)}");
        }
    }
}
