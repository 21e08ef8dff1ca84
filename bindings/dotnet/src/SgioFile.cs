// SPDX-License-Identifier: Apache-2.0
// SgioFile.cs - the idiomatic face of sgio_file: positional gather write / scatter read, sync and
// async, with .NET exceptions. Async requests go through an SgioQueue (io_uring where available):
// one that ends inside its submit call (a buffered write) is finished by the calling thread, the
// others by that queue's one completion thread - no thread-pool thread blocks per request.
// Interop with .NET's own file API: FromSafeFileHandle / DuplicateSafeFileHandle (each side owns its
// own duplicate of the descriptor, so neither can close the other's).
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace Sgio
{
    /// <summary>A file opened through sgio. Thread-safe: positional I/O has no shared cursor.</summary>
    public sealed unsafe class SgioFile : IDisposable, IAsyncDisposable
    {
        private readonly SgioFileHandle _handle;
        private readonly SgioQueue? _queue;
        private readonly InFlightCounter _inFlight = new();
        private volatile bool _disposing;

        private SgioFile(SgioFileHandle handle, string path, SgioOpenFlags flags, SgioQueue? queue)
        {
            _handle = handle;
            Path = path;
            Flags = flags;
            _queue = queue;
            // A direct file (alignment > 1; also one adopted from a descriptor opened O_DIRECT)
            // never has a write end inside its submit call: see SgioQueue.Submit.
            _direct = SgioNative.sgio_file_alignment(handle, out uint memory, out _) == 0 && memory > 1;
        }

        private readonly bool _direct;

        /// <summary>The path the file was opened with ("" for <see cref="FromSafeFileHandle"/>).</summary>
        public string Path { get; }

        /// <summary>The flags the file was opened with.</summary>
        public SgioOpenFlags Flags { get; }

        /// <summary>The library handle (for SgioNative calls).</summary>
        public SgioFileHandle Handle => _handle;

        /// <summary>True after <see cref="Dispose"/> (or once <see cref="DisposeAsync"/> has begun).</summary>
        public bool IsClosed => _disposing || _handle.IsClosed;

        /// <summary>Asynchronous requests of this file submitted and not yet completed.</summary>
        public int InFlight => _inFlight.Count;

        /// <summary>
        /// Open or create a file. <paramref name="mode"/> = permission bits for a created file (0 = 0644).
        /// Async calls use <paramref name="queue"/>, or <see cref="SgioQueue.Shared"/> when null.
        /// </summary>
        /// <exception cref="SgioException">SGIO_ENOENT, SGIO_EEXIST, SGIO_EACCES, SGIO_EISDIR, SGIO_EINVAL, ...</exception>
        public static SgioFile Open(string path, SgioOpenFlags flags = SgioOpenFlags.ReadWrite, int mode = 0,
                                    SgioQueue? queue = null)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentOutOfRangeException.ThrowIfNegative(mode);
            var opts = new SgioOpenOptions();
            SgioException.ThrowIfFailed(SgioNative.sgio_open_options_init(ref opts, SgioApi.SGIO_OPEN_OPTIONS_VERSION));
            opts.Flags = (uint)flags;
            opts.Mode = (uint)mode;
            int status = SgioNative.sgio_file_open(out SgioFileHandle handle, path, ref opts);
            if (status != 0)
            {
                handle.Dispose();
                SgioException.ThrowIfFailed(status);
            }
            return new SgioFile(handle, path, flags, queue);
        }

        /// <summary>
        /// An SgioFile over a file .NET opened (<see cref="File.OpenHandle"/>, <see cref="FileStream.SafeFileHandle"/>).
        /// It adopts a duplicate of the descriptor (<c>fcntl(F_DUPFD_CLOEXEC)</c> then
        /// <c>sgio_file_adopt_fd</c>): <paramref name="handle"/> stays yours and open, disposing either
        /// one never closes the other, and both share the file's open flags (O_DIRECT included).
        /// Access (read/write) is the one <paramref name="handle"/> was opened with.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="handle"/> is invalid.</exception>
        /// <exception cref="ObjectDisposedException"><paramref name="handle"/> is closed.</exception>
        /// <exception cref="PlatformNotSupportedException">On Windows (no file descriptors).</exception>
        /// <exception cref="IOException">The descriptor could not be duplicated (e.g. EMFILE).</exception>
        /// <exception cref="SgioException">sgio rejected the descriptor (SGIO_EISDIR, SGIO_ENOTSUP for a pipe,
        /// socket or character device, SGIO_EMFILE when its handle table is full); the duplicate is closed.</exception>
        public static SgioFile FromSafeFileHandle(SafeFileHandle handle, SgioQueue? queue = null)
        {
            ArgumentNullException.ThrowIfNull(handle);
            ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
            if (handle.IsInvalid)
                throw new ArgumentException("The SafeFileHandle is invalid.", nameof(handle));
            int fd = Descriptors.Duplicate(handle);
            int status = SgioNative.sgio_file_adopt_fd(out SgioFileHandle adopted, fd, 0);
            if (status != 0)
            {
                adopted.Dispose();
                // On any failure sgio_file_adopt_fd leaves the descriptor open and ours (sgio_file.h):
                // close the duplicate, keep the message it set.
                string detail = Marshal.PtrToStringUTF8(SgioNative.sgio_last_error_message()) ?? "";
                Descriptors.Close(fd);
                throw new SgioException((SgioStatus)status, $"{SgioException.NameOf(status)}: {detail}");
            }
            SgioOpenFlags flags = 0;
            bool read = handle.CanRead(), write = handle.CanWrite();
            if (read) flags |= SgioOpenFlags.Read;
            if (write) flags |= SgioOpenFlags.Write;
            return new SgioFile(adopted, string.Empty, flags, queue);
        }

        /// <summary>
        /// A new <see cref="SafeFileHandle"/> over a duplicate of this file's descriptor, for .NET's
        /// <see cref="RandomAccess"/> and <see cref="FileStream"/>. The caller owns it and must dispose it;
        /// it stays valid after this SgioFile is disposed (and vice versa). For a
        /// <see cref="SgioOpenFlags.Direct"/> file, .NET's calls must honour <see cref="Alignment"/> too.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The file is closed.</exception>
        /// <exception cref="PlatformNotSupportedException">On Windows.</exception>
        public SafeFileHandle DuplicateSafeFileHandle()
        {
            ThrowIfClosed();
            bool added = false;
            try
            {
                _handle.DangerousAddRef(ref added); // the descriptor cannot be closed under the dup
                SgioException.ThrowIfFailed(SgioNative.sgio_file_fd(_handle, out long fd));
                return new SafeFileHandle((IntPtr)Descriptors.Duplicate(checked((int)fd)), ownsHandle: true);
            }
            finally
            {
                if (added)
                    _handle.DangerousRelease();
            }
        }

        /// <summary>Direct-I/O alignment (from the file system; 1/1 for buffered files).</summary>
        public SgioAlignment Alignment
        {
            get
            {
                ThrowIfClosed();
                SgioException.ThrowIfFailed(SgioNative.sgio_file_alignment(_handle, out uint memory, out uint offset));
                return new SgioAlignment((int)memory, (int)offset);
            }
        }

        /// <summary>Current size of the file in bytes.</summary>
        public long Length
        {
            get
            {
                ThrowIfClosed();
                SgioException.ThrowIfFailed(SgioNative.sgio_file_size(_handle, out ulong size));
                return checked((long)size);
            }
        }

        /// <summary>Extend (with zeros) or cut the file.</summary>
        public void SetLength(long length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length);
            ThrowIfClosed();
            SgioException.ThrowIfFailed(SgioNative.sgio_file_truncate(_handle, (ulong)length));
        }

        /// <summary>Make written data durable (fdatasync).</summary>
        public void Flush()
        {
            ThrowIfClosed();
            SgioException.ThrowIfFailed(SgioNative.sgio_file_flush(_handle));
        }

        /// <summary>
        /// Write all <paramref name="buffers"/>, in order, to consecutive bytes at <paramref name="offset"/>.
        /// Writes everything or throws (<see cref="SgioException.BytesTransferred"/> = the prefix that was
        /// written). Empty buffers are skipped. Returns the bytes written.
        /// </summary>
        public long WriteGather(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ThrowIfClosed();
            ArgumentNullException.ThrowIfNull(buffers);
            return SyncTransfer(buffers, null, offset);
        }

        /// <summary>
        /// Read consecutive bytes at <paramref name="offset"/> into <paramref name="buffers"/>, in order.
        /// Fills every buffer or stops at end of file; returns the bytes read (0 at or past the end).
        /// </summary>
        public long ReadScatter(IReadOnlyList<Memory<byte>> buffers, long offset)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ThrowIfClosed();
            ArgumentNullException.ThrowIfNull(buffers);
            return SyncTransfer(null, buffers, offset);
        }

        /// <summary>
        /// Asynchronous <see cref="WriteGather"/>: the buffers are pinned until the request completes.
        /// Cancellation asks the engine to cancel; the task then ends with OperationCanceledException
        /// (or its normal result if the write won the race). A write that ends inside the call (a
        /// buffered write on io_uring, written by the calling thread) returns an already completed
        /// ValueTask. Await the ValueTask once: its request object is reused afterwards.
        /// </summary>
        public ValueTask<long> WriteGatherAsync(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset,
                                                CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ThrowIfClosed();
            if (cancellationToken.IsCancellationRequested)
                return ValueTask.FromCanceled<long>(cancellationToken);
            ArgumentNullException.ThrowIfNull(buffers);
            return Queue.Submit(_handle, buffers, null, SgioApi.SGIO_OP_WRITE_GATHER, offset, cancellationToken, _inFlight,
                                mayEndInCall: !_direct);
        }

        /// <summary>Asynchronous <see cref="ReadScatter"/>.</summary>
        public ValueTask<long> ReadScatterAsync(IReadOnlyList<Memory<byte>> buffers, long offset,
                                                CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ThrowIfClosed();
            if (cancellationToken.IsCancellationRequested)
                return ValueTask.FromCanceled<long>(cancellationToken);
            ArgumentNullException.ThrowIfNull(buffers);
            return Queue.Submit(_handle, null, buffers, SgioApi.SGIO_OP_READ_SCATTER, offset, cancellationToken, _inFlight,
                                mayEndInCall: false);
        }

        // One synchronous gather (source != null) or scatter (target != null): pin every non-empty
        // buffer for the duration of the call, describe it in an sgio_segment, make one call. The
        // storage is this thread's (no ArrayPool rent and clear, no stackalloc to zero per call).
        private long SyncTransfer(IReadOnlyList<ReadOnlyMemory<byte>>? source, IReadOnlyList<Memory<byte>>? target, long offset)
        {
            PinnedSegments segs = PinnedSegments.RentForThread();
            try
            {
                segs.Pin(source, target);
                return segs.Count == 0 ? 0 : Call(source != null, segs.Segments, segs.Count, offset);
            }
            finally
            {
                PinnedSegments.ReturnToThread(segs);
            }
        }

        private long Call(bool write, SgioSegment* segs, uint count, long offset)
        {
            int status;
            ulong done;
            if (write)
                status = SgioNative.sgio_file_write_gather(_handle, segs, count, (ulong)offset, out done);
            else
                status = SgioNative.sgio_file_read_scatter(_handle, segs, count, (ulong)offset, out done);
            SgioException.ThrowIfFailed(status, (long)done);
            return (long)done;
        }

        private SgioQueue Queue => _queue ?? SgioQueue.Shared;

        /// <summary>
        /// Close the file. Requests still in flight keep the handle alive until they complete;
        /// later calls throw ObjectDisposedException.
        /// </summary>
        public void Dispose()
        {
            _disposing = true;
            _handle.Dispose();
        }

        /// <summary>
        /// Stop accepting requests, wait until every asynchronous request of this file has completed
        /// (awaited, so no thread blocks), then close the file. Requests are not cancelled: cancel
        /// them through their CancellationToken first if you do not want to wait for them.
        /// </summary>
        public ValueTask DisposeAsync()
        {
            _disposing = true;
            return _inFlight.DisposeWhenIdle(_handle);
        }

        private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, this);
    }
}
