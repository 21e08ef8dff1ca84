// SPDX-License-Identifier: Apache-2.0
// RuntimeInternals.cs - THE one place that uses runtime internals, for the two things no public API
// does off Windows:
// 1. the IOCompletionCallback (and ExecutionContext) that Overlapped.Pack stored for a
//    NativeOverlapped* (on Windows the runtime's own IOCP thread reads the same fields; Unpack
//    itself is public). ThreadPoolBoundHandle's NativeOverlappeds are Pack'ed too, so this serves
//    both the Pack pattern and ThreadPoolBoundHandle.
// 2. a ThreadPoolBoundHandle for a handle: its public BindHandle throws PlatformNotSupported off
//    Windows; its private constructor ThreadPoolBoundHandle(SafeHandle) only stores the handle, and
//    every other member of it is portable managed code.
//
// Layouts read (field names of System.Private.CoreLib):
//   .NET 8 (CoreCLR):  Overlapped._overlappedData (OverlappedData) ._callback
//   .NET 9+:           Overlapped._callback
// _callback is the IOCompletionCallback (UnsafePack, or Pack with no ExecutionContext to flow) or a
// wrapper (_IOCompletionCallback) with one IOCompletionCallback field and one ExecutionContext field.
// tests/dotnet (CompletionPatternTests.PackCallbackLayoutIsKnown, and the port sample on net8.0 and
// net10.0) fail loudly if a runtime moves them; SgioThreadPool's methods refuse to bind
// (PlatformNotSupported naming the runtime) rather than lose completions at run time.
using System;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sgio.Threading
{
    internal static unsafe class RuntimeInternals
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        // Null when this runtime's Overlapped does not have a layout named above.
        private static readonly FieldInfo? s_overlappedData = typeof(Overlapped).GetField("_overlappedData", Instance);
        private static readonly FieldInfo? s_callback =
            s_overlappedData == null ? typeof(Overlapped).GetField("_callback", Instance)
                                     : s_overlappedData.FieldType.GetField("_callback", Instance);

        private static readonly ConstructorInfo? s_boundHandleCtor = typeof(ThreadPoolBoundHandle).GetConstructor(
            BindingFlags.Instance | BindingFlags.NonPublic, null, new[] { typeof(SafeHandle) }, null);

        /// <summary>
        /// A ThreadPoolBoundHandle for <paramref name="handle"/> (not bound to anything by itself: the
        /// caller associates the handle with sgio's port).
        /// </summary>
        internal static ThreadPoolBoundHandle NewThreadPoolBoundHandle(SafeHandle handle)
        {
            if (s_boundHandleCtor == null)
                throw new PlatformNotSupportedException(
                    $"Sgio: this runtime ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}) has no " +
                    "ThreadPoolBoundHandle(SafeHandle) constructor. Use Sgio.Threading.SgioBoundHandle (no runtime internals) instead.");
            return (ThreadPoolBoundHandle)s_boundHandleCtor.Invoke(new object[] { handle });
        }

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
