// SPDX-License-Identifier: Apache-2.0
// SgioLibrary.cs - version and page size of the loaded libsgio, and aligned memory for direct I/O.
using System;
using System.Buffers;
using System.Runtime.InteropServices;

namespace Sgio
{
    /// <summary>Facts about the loaded native library.</summary>
    public static class SgioLibrary
    {
        /// <summary>"MAJOR.MINOR.PATCH" of the loaded libsgio.</summary>
        public static string Version => Marshal.PtrToStringUTF8(SgioNative.sgio_version_string()) ?? "";

        /// <summary>The system memory page size.</summary>
        public static int PageSize => (int)SgioNative.sgio_page_size();
    }

    /// <summary>
    /// Zero-filled native memory aligned for direct I/O (sgio_aligned_alloc), usable as Memory&lt;byte&gt;.
    /// Dispose frees it; do not use its Memory afterwards or while a request on it is in flight.
    /// </summary>
    public sealed unsafe class SgioAlignedBuffer : MemoryManager<byte>
    {
        private IntPtr _block;
        private readonly int _length;

        /// <summary>Allocate <paramref name="length"/> bytes aligned to <paramref name="alignment"/> (0 = page size).</summary>
        public SgioAlignedBuffer(int length, int alignment = 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
            ArgumentOutOfRangeException.ThrowIfNegative(alignment);
            SgioException.ThrowIfFailed(SgioNative.sgio_aligned_alloc(out _block, (ulong)length, (ulong)alignment));
            _length = length;
        }

        /// <summary>Address of the first byte.</summary>
        public IntPtr Address => _block;

        /// <summary>Bytes.</summary>
        public int Length => _length;

        /// <inheritdoc/>
        public override Span<byte> GetSpan()
        {
            ObjectDisposedException.ThrowIf(_block == IntPtr.Zero, this);
            return new Span<byte>((void*)_block, _length);
        }

        /// <inheritdoc/>
        public override MemoryHandle Pin(int elementIndex = 0)
        {
            ObjectDisposedException.ThrowIf(_block == IntPtr.Zero, this);
            ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
            return new MemoryHandle((byte*)_block + elementIndex); // native memory never moves
        }

        /// <inheritdoc/>
        public override void Unpin() { }

        /// <inheritdoc/>
        protected override void Dispose(bool disposing)
        {
            IntPtr block = _block;
            _block = IntPtr.Zero;
            if (block != IntPtr.Zero)
                SgioNative.sgio_aligned_free(block);
        }
    }
}
