// SPDX-License-Identifier: Apache-2.0
// PackedOverlappedCallback.cs - THE one place that reads runtime internals: the IOCompletionCallback
// (and ExecutionContext) that Overlapped.Pack stored for a NativeOverlapped*. No public API returns
// it; on Windows the runtime's own IOCP thread reads the same fields. Unpack itself is public.
//
// Layouts read (field names of System.Private.CoreLib):
//   .NET 8 (CoreCLR):  Overlapped._overlappedData (OverlappedData) ._callback
//   .NET 9+:           Overlapped._callback
// _callback is the IOCompletionCallback (UnsafePack, or Pack with no ExecutionContext to flow) or a
// wrapper (_IOCompletionCallback) with one IOCompletionCallback field and one ExecutionContext field.
// tests/dotnet (PackedOverlappedCallbackTests, and the port sample on net8.0 and net10.0) fail
// loudly if a runtime moves them; SgioThreadPool.BindHandle refuses to bind (PlatformNotSupported)
// rather than lose completions at run time.
using System;
using System.Reflection;
using System.Threading;

namespace Sgio.Threading
{
    internal static unsafe class PackedOverlappedCallback
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        // Null when this runtime's Overlapped does not have a layout named above.
        private static readonly FieldInfo? s_overlappedData = typeof(Overlapped).GetField("_overlappedData", Instance);
        private static readonly FieldInfo? s_callback =
            s_overlappedData == null ? typeof(Overlapped).GetField("_callback", Instance)
                                     : s_overlappedData.FieldType.GetField("_callback", Instance);

        /// <summary>Why this runtime cannot serve Overlapped.Pack completions, or null when it can.</summary>
        internal static string? Unsupported =>
            s_callback != null && s_callback.FieldType == typeof(object) ? null :
            $"Sgio: this runtime ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}) stores " +
            "Overlapped.Pack's callback where Sgio does not know to find it (expected Overlapped._callback or " +
            "Overlapped._overlappedData._callback). Use Sgio.Threading.SgioBoundHandle (no runtime internals) instead.";

        /// <summary>
        /// The callback and the ExecutionContext (null: none to flow) that Pack/UnsafePack stored for
        /// <paramref name="nativeOverlapped"/>; throws if the runtime's layout is not the known one.
        /// </summary>
        internal static (IOCompletionCallback? Callback, ExecutionContext? Context) Find(NativeOverlapped* nativeOverlapped)
        {
            string? why = Unsupported;
            if (why != null)
                throw new PlatformNotSupportedException(why);
            object? holder = Overlapped.Unpack(nativeOverlapped);
            if (s_overlappedData != null)
                holder = s_overlappedData.GetValue(holder);
            object? stored = holder == null ? null : s_callback!.GetValue(holder);
            switch (stored)
            {
                case null:
                    return (null, null); // Pack(null, ...): nothing to call
                case IOCompletionCallback direct:
                    return (direct, null);
                default:
                    return FromWrapper(stored);
            }
        }

        private static (IOCompletionCallback?, ExecutionContext?) FromWrapper(object wrapper)
        {
            IOCompletionCallback? callback = null;
            ExecutionContext? context = null;
            foreach (FieldInfo f in wrapper.GetType().GetFields(Instance))
            {
                if (f.FieldType == typeof(IOCompletionCallback))
                    callback = (IOCompletionCallback?)f.GetValue(wrapper);
                else if (f.FieldType == typeof(ExecutionContext))
                    context = (ExecutionContext?)f.GetValue(wrapper);
            }
            if (callback == null)
                throw new PlatformNotSupportedException(
                    $"Sgio: Overlapped.Pack stored a {wrapper.GetType().FullName} without an IOCompletionCallback field; " +
                    "this runtime's layout is not the one Sgio knows. Use Sgio.Threading.SgioBoundHandle instead.");
            return (callback, context);
        }
    }
}
