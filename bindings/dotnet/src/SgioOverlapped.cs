// SPDX-License-Identifier: Apache-2.0
// SgioOverlapped.cs - one NativeOverlapped allocated by SgioBoundHandle on Linux: native memory that
// never moves (the OVERLAPPED the I/O writes its result into), followed by a check word and a
// GCHandle to this object, which holds the callback, the state, the pinned buffers and the owner.
using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sgio.Threading
{
    internal sealed unsafe class SgioOverlapped : IThreadPoolWorkItem
    {
        // "SgioOvl\0": tells our blocks from any other NativeOverlapped* a caller might pass.
        private const ulong Magic = 0x006C_764F_6F69_6753UL;

        [StructLayout(LayoutKind.Sequential)]
        private struct Block
        {
            public NativeOverlapped Overlapped; // first: Block* == NativeOverlapped*
            public ulong Magic;
            public IntPtr Self;
        }

        private readonly IOCompletionCallback _callback;
        private readonly GCHandle[] _pins;
        private readonly Block* _block;
        private GCHandle _self;
        private ExecutionContext? _context;
        private uint _error;
        private uint _bytes;

        internal object? State { get; }
        internal SgioPreAllocatedOverlapped? PreAllocated { get; }
        /// <summary>The bound handle that allocated it and has not freed it yet; null while free.</summary>
        internal SgioBoundHandle? Owner { get; private set; }
        internal NativeOverlapped* Native => &_block->Overlapped;

        internal SgioOverlapped(IOCompletionCallback callback, object? state, object? pinData, SgioPreAllocatedOverlapped? preAllocated)
        {
            ArgumentNullException.ThrowIfNull(callback);
            _callback = callback;
            State = state;
            PreAllocated = preAllocated;
            _pins = Pin(pinData);
            _block = (Block*)NativeMemory.AllocZeroed((nuint)sizeof(Block));
            _self = GCHandle.Alloc(this);
            _block->Magic = Magic;
            _block->Self = GCHandle.ToIntPtr(_self);
        }

        private static GCHandle[] Pin(object? pinData)
        {
            if (pinData == null)
                return Array.Empty<GCHandle>();
            object?[] objects = pinData as object?[] ?? new[] { pinData };
            var pins = new GCHandle[objects.Length];
            try
            {
                for (int i = 0; i < objects.Length; i++)
                    pins[i] = GCHandle.Alloc(objects[i], GCHandleType.Pinned);
            }
            catch
            {
                foreach (GCHandle pin in pins)
                    if (pin.IsAllocated)
                        pin.Free();
                throw;
            }
            return pins;
        }

        /// <summary>The SgioOverlapped behind <paramref name="overlapped"/>; ArgumentException if it is not one.</summary>
        internal static SgioOverlapped FromNative(NativeOverlapped* overlapped)
        {
            if (overlapped == null)
                throw new ArgumentNullException(nameof(overlapped));
            var block = (Block*)overlapped;
            if (block->Magic != Magic)
                throw new ArgumentException("The NativeOverlapped* was not allocated by an SgioBoundHandle (or was freed).", nameof(overlapped));
            return (SgioOverlapped)GCHandle.FromIntPtr(block->Self).Target!;
        }

        /// <summary>Hands the block to <paramref name="owner"/>: zeroed OVERLAPPED, the context to run the callback in.</summary>
        internal void Acquire(SgioBoundHandle owner, bool flowExecutionContext)
        {
            _block->Overlapped = default;
            _context = flowExecutionContext ? ExecutionContext.Capture() : null;
            Owner = owner;
        }

        internal void Release()
        {
            Owner = null;
            _context = null;
        }

        /// <summary>A packet for this request was dequeued: run the callback on the thread pool.</summary>
        internal void Complete(uint error, uint bytes)
        {
            _error = error;
            _bytes = bytes;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        void IThreadPoolWorkItem.Execute()
        {
            ExecutionContext? context = _context;
            if (context == null)
                Invoke();
            else
                ExecutionContext.Run(context, static s => ((SgioOverlapped)s!).Invoke(), this);
        }

        private void Invoke() => _callback(_error, _bytes, Native);

        /// <summary>Frees the native block and every GCHandle; the object is unusable afterwards.</summary>
        internal void Destroy()
        {
            _block->Magic = 0;
            foreach (GCHandle pin in _pins)
                pin.Free();
            _self.Free();
            NativeMemory.Free(_block);
        }
    }
}
