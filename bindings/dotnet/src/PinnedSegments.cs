// SPDX-License-Identifier: Apache-2.0
// PinnedSegments.cs - pins a list of Memory<byte> and builds the sgio_segment array in unmanaged
// memory, both kept for as long as the request runs (an async request: until its completion).
using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Sgio
{
    internal sealed unsafe class PinnedSegments : IDisposable
    {
        private MemoryHandle[]? _pins;
        private int _pinned;

        /// <summary>The segment array (NativeMemory), null when every buffer was empty.</summary>
        public SgioSegment* Segments { get; private set; }
        /// <summary>Non-empty buffers (empty ones are skipped: sgio requires length &gt; 0).</summary>
        public uint Count { get; private set; }
        public long TotalBytes { get; private set; }

        public static PinnedSegments Pin(IReadOnlyList<ReadOnlyMemory<byte>> buffers)
        {
            ArgumentNullException.ThrowIfNull(buffers);
            var p = new PinnedSegments();
            try
            {
                p.Allocate(buffers.Count);
                for (int i = 0; i < buffers.Count; i++)
                    p.Add(buffers[i]);
                return p;
            }
            catch
            {
                p.Dispose();
                throw;
            }
        }

        public static PinnedSegments Pin(IReadOnlyList<Memory<byte>> buffers)
        {
            ArgumentNullException.ThrowIfNull(buffers);
            var p = new PinnedSegments();
            try
            {
                p.Allocate(buffers.Count);
                for (int i = 0; i < buffers.Count; i++)
                    p.Add(buffers[i]);
                return p;
            }
            catch
            {
                p.Dispose();
                throw;
            }
        }

        private void Allocate(int n)
        {
            if (n == 0)
                return;
            _pins = ArrayPool<MemoryHandle>.Shared.Rent(n);
            Segments = (SgioSegment*)NativeMemory.Alloc((nuint)n, (nuint)sizeof(SgioSegment));
        }

        private void Add(ReadOnlyMemory<byte> m)
        {
            if (m.IsEmpty)
                return;
            MemoryHandle h = m.Pin();
            _pins![_pinned++] = h;
            Segments[Count].Buffer = (ulong)h.Pointer;
            Segments[Count].Length = (ulong)m.Length;
            Count++;
            TotalBytes = checked(TotalBytes + m.Length);
        }

        public void Dispose()
        {
            if (_pins != null)
            {
                for (int i = 0; i < _pinned; i++)
                    _pins[i].Dispose();
                Array.Clear(_pins, 0, _pinned);
                ArrayPool<MemoryHandle>.Shared.Return(_pins);
                _pins = null;
                _pinned = 0;
            }
            if (Segments != null)
            {
                NativeMemory.Free(Segments);
                Segments = null;
            }
        }
    }
}
