// SPDX-License-Identifier: Apache-2.0
// SgioException.cs - every failing native-face call surfaces as an IOException subclass carrying
// the SGIO_E* code and the library's thread-local message.
using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sgio
{
    /// <summary>An sgio call failed. <see cref="Code"/> is the SGIO_E* status.</summary>
    public class SgioException : IOException
    {
        /// <summary>The status code (negative).</summary>
        public SgioStatus Code { get; }

        /// <summary>Bytes that reached the file (or the buffers) before the failure: a prefix of the request.</summary>
        public long BytesTransferred { get; }

        /// <summary>Create from a status code and message.</summary>
        public SgioException(SgioStatus code, string message, long bytesTransferred = 0)
            : base(message, (int)code)
        {
            Code = code;
            BytesTransferred = bytesTransferred;
        }

        /// <summary>The library's name for a code, e.g. "SGIO_EINVAL".</summary>
        public static string NameOf(int status) =>
            Marshal.PtrToStringUTF8(SgioNative.sgio_error_name(status)) ?? "SGIO_UNKNOWN";

        /// <summary>The fixed description of a code.</summary>
        public static string Describe(int status) =>
            Marshal.PtrToStringUTF8(SgioNative.sgio_strerror(status)) ?? "unknown error";

        /// <summary>
        /// Throw for a failed synchronous call. Must run on the calling thread right after the call:
        /// the detailed message is the library's thread-local sgio_last_error_message().
        /// </summary>
        internal static void ThrowIfFailed(int status, long bytesTransferred = 0)
        {
            if (status == 0)
                return;
            string detail = Marshal.PtrToStringUTF8(SgioNative.sgio_last_error_message()) ?? "";
            if (detail.Length == 0)
                detail = Describe(status);
            throw new SgioException((SgioStatus)status, $"{NameOf(status)}: {detail}", bytesTransferred);
        }

        /// <summary>The exception for a completion's status (no thread-local message: the request ran elsewhere).</summary>
        internal static SgioException FromCompletion(int status, long bytesTransferred) =>
            new SgioException((SgioStatus)status, $"{NameOf(status)}: {Describe(status)}", bytesTransferred);
    }
}
