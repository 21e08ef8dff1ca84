// SPDX-License-Identifier: Apache-2.0
// PinnedSegments.cs - pins a list of Memory<byte> and describes it in an sgio_segment array, both
// kept for as long as the request runs (a synchronous call: the call; an async request: until its
// completion). The storage is reused: each pooled SgioOperation owns one, and each thread keeps one
// for its synchronous calls, so a request allocates nothing once the arrays have grown to its size.
using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sgio
{
    internal sealed unsafe class PinnedSegments
    {
        // A thread keeps its synchronous calls' storage up to this many segments (16 KiB of
        // segments + 24 KiB of pins); a larger one is used once and left to the GC.
        private const int MaxCachedCapacity = 1024;

        [ThreadStatic]
        private static PinnedSegments? t_cached;

        private MemoryHandle[] _pins = Array.Empty<MemoryHandle>();
        // On the pinned object heap: its address never changes, so it is handed to the library as is.
        private SgioSegment[] _segments = Array.Empty<SgioSegment>();
        private int _pinned;

        /// <summary>The segment array; valid while <see cref="Count"/> &gt; 0.</summary>
        public SgioSegment* Segments
        {
            get
            {
                fixed (SgioSegment* p = _segments)
                    return p; // a pinned-heap array: the address stays valid after the fixed block
            }
        }

        /// <summary>Non-empty buffers (empty ones are skipped: sgio requires length &gt; 0).</summary>
        public uint Count { get; private set; }

        /// <summary>This thread's storage for a synchronous call; give it back with <see cref="ReturnToThread"/>.</summary>
        public static PinnedSegments RentForThread()
        {
            PinnedSegments? p = t_cached;
            if (p == null)
                return new PinnedSegments();
            t_cached = null; // a call made while this one pins (a MemoryManager's Pin) gets its own
            return p;
        }

        /// <summary>Unpins and keeps <paramref name="p"/> for this thread's next synchronous call.</summary>
        public static void ReturnToThread(PinnedSegments p)
        {
            p.Unpin();
            if (p._segments.Length <= MaxCachedCapacity)
                t_cached = p;
        }

        /// <summary>
        /// Pin every buffer of <paramref name="source"/> (or, when it is null, of <paramref name="target"/>).
        /// On an exception the buffers pinned so far stay recorded: <see cref="Unpin"/> releases them.
        /// </summary>
        public void Pin(IReadOnlyList<ReadOnlyMemory<byte>>? source, IReadOnlyList<Memory<byte>>? target)
        {
            // Arrays and List<T> are read as spans: no interface call per buffer.
            // Memory<byte> and ReadOnlyMemory<byte> have one layout (MemoryMarshal.AsMemory relies on it).
            if (source is ReadOnlyMemory<byte>[] array)
                Pin(array.AsSpan());
            else if (source is List<ReadOnlyMemory<byte>> list)
                Pin(CollectionsMarshal.AsSpan(list));
            else if (target is Memory<byte>[] targetArray)
                Pin(AsReadOnly(targetArray.AsSpan()));
            else if (target is List<Memory<byte>> targetList)
                Pin(AsReadOnly(CollectionsMarshal.AsSpan(targetList)));
            else
                PinEach(source, target);
        }

        private static ReadOnlySpan<ReadOnlyMemory<byte>> AsReadOnly(Span<Memory<byte>> s) =>
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Memory<byte>, ReadOnlyMemory<byte>>(ref MemoryMarshal.GetReference(s)), s.Length);

        private void Pin(ReadOnlySpan<ReadOnlyMemory<byte>> buffers)
        {
            if (buffers.Length > _segments.Length)
                Grow(buffers.Length);
            for (int i = 0; i < buffers.Length; i++)
                Add(buffers[i]);
        }

        private void PinEach(IReadOnlyList<ReadOnlyMemory<byte>>? source, IReadOnlyList<Memory<byte>>? target)
        {
            int n = source?.Count ?? target!.Count;
            if (n > _segments.Length)
                Grow(n);
            for (int i = 0; i < n; i++)
                Add(source != null ? source[i] : target![i]);
        }

        private void Add(ReadOnlyMemory<byte> m)
        {
            if (m.IsEmpty)
                return; // sgio requires length > 0; an empty buffer transfers nothing
            uint k = Count;
            if (k == _segments.Length)
                throw new InvalidOperationException("The buffer list grew while it was being pinned.");
            _pins[k] = m.Pin();
            _pinned = (int)k + 1;
            _segments[k].Buffer = (ulong)_pins[k].Pointer;
            _segments[k].Length = (ulong)m.Length;
            Count = k + 1;
        }

        private void Grow(int n)
        {
            Unpin();
            int size = Math.Max(n, Math.Max(16, _segments.Length * 2));
            _segments = GC.AllocateUninitializedArray<SgioSegment>(size, pinned: true);
            _pins = new MemoryHandle[size];
        }

        /// <summary>Release every pin (each MemoryHandle clears itself); the arrays stay for reuse.</summary>
        public void Unpin()
        {
            MemoryHandle[] pins = _pins;
            for (int i = 0; i < _pinned; i++)
                pins[i].Dispose();
            _pinned = 0;
            Count = 0;
        }
    }
}
