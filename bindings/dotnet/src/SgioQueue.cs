// SPDX-License-Identifier: Apache-2.0
// SgioQueue.cs - an sgio_queue (io_uring where the kernel allows it) and ONE dedicated completion
// thread that blocks in sgio_queue_wait with no timeout (never a polling slice). A request that ends
// inside its submit call (a buffered write on io_uring, which the submitting thread writes itself)
// is finished by the submitting thread (sgio_queue_submit_and_peek) and its ValueTask is returned
// already completed; the completion thread completes the others. Dispose wakes it by freeing the
// queue: the library then returns SGIO_EBADHANDLE to the blocked wait. Continuations of pending
// requests run on the thread pool (RunContinuationsAsynchronously), never on the completion thread,
// and no thread blocks per request. Operations are pooled: no allocation per request once warm.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Sgio
{
    /// <summary>An asynchronous request queue with its completion thread.</summary>
    public sealed class SgioQueue : IDisposable, IAsyncDisposable
    {
        private const int BatchSize = 64;
        // Completions taken by one submit that may end inside the call: its own (first) and up to 7
        // that were already waiting.
        private const uint PeekSize = 8;
        // Operations kept for reuse at most (a queue deeper than this allocates beyond it).
        private const int MaxPooled = 1024;
        private const uint WaitForever = uint.MaxValue; // sgio_queue_wait: UINT32_MAX, no timeout

        private static readonly Lazy<SgioQueue> s_shared = new(() => new SgioQueue(), LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly SgioQueueHandle _handle;
        private readonly SemaphoreSlim _slots;
        private readonly object _gate = new();
        private readonly Dictionary<ulong, SgioOperation> _pending = new();
        private readonly Stack<SgioOperation> _pool = new();
        private SgioOperation? _hot;
        private readonly Thread _thread;
        // Completed when the completion thread has exited (DisposeAsync awaits it instead of Join).
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // Completed once stopping has begun and no request is pending any more.
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ulong _nextId;
        private bool _stopping; // written under _gate; read without it where a stale value is re-checked

        /// <summary>The process-wide queue used by SgioFile async calls that were not given one.</summary>
        public static SgioQueue Shared => s_shared.Value;

        /// <summary>Create a queue allowing <paramref name="depth"/> requests in flight (further ones wait for a slot).</summary>
        public SgioQueue(int depth = 256, SgioBackend backend = SgioBackend.Auto)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
            var opts = new SgioQueueOptions();
            SgioException.ThrowIfFailed(SgioNative.sgio_queue_options_init(ref opts, SgioApi.SGIO_QUEUE_OPTIONS_VERSION));
            opts.Depth = (uint)depth;
            opts.Backend = (uint)backend;
            int status = SgioNative.sgio_queue_create(out SgioQueueHandle handle, ref opts);
            if (status != 0)
            {
                handle.Dispose();
                SgioException.ThrowIfFailed(status);
            }
            _handle = handle;
            SgioException.ThrowIfFailed(SgioNative.sgio_queue_backend(_handle, out uint actual));
            Backend = (SgioBackend)actual;
            Depth = depth;
            _slots = new SemaphoreSlim(depth, depth);
            // The name carries the handle value so a test can find this thread in /proc/self/task
            // (Linux keeps 15 characters of it).
            _thread = new Thread(Run) { IsBackground = true, Name = $"sgioq-{(ulong)handle.DangerousGetHandle():x}" };
            _thread.Start();
        }

        /// <summary>The engine actually in use.</summary>
        public SgioBackend Backend { get; }

        /// <summary>Requests in flight at most.</summary>
        public int Depth { get; }

        /// <summary>The library handle.</summary>
        public SgioQueueHandle Handle => _handle;

        /// <summary>Requests submitted and not yet completed.</summary>
        public int InFlight
        {
            get { lock (_gate) return _pending.Count; }
        }

        // tracker (the file's in-flight count) is entered here and exited exactly once: at the
        // operation's completion, or on whichever path below gives the request up.
        // mayEndInCall: the request is a buffered write, which the io_uring backend writes inside the
        // submit call (sgio_queue.h); reads and direct writes go to the ring.
        internal ValueTask<long> Submit(SgioFileHandle file, IReadOnlyList<ReadOnlyMemory<byte>>? source,
                                        IReadOnlyList<Memory<byte>>? target, uint opcode, long offset,
                                        CancellationToken ct, InFlightCounter? tracker, bool mayEndInCall)
        {
            SgioOperation op = Rent();
            try
            {
                op.Segments.Pin(source, target);
            }
            catch
            {
                Return(op);
                throw;
            }
            tracker?.Enter();
            bool stopping = Volatile.Read(ref _stopping); // checked again under the lock in SubmitWithSlot
            if (stopping || op.Segments.Count == 0)
            {
                Return(op);
                tracker?.Exit();
                ObjectDisposedException.ThrowIf(stopping, this);
                return ValueTask.FromResult(0L);
            }
            // On the SYNC backend every request ends inside the call. Otherwise a request that cannot
            // is submitted without a peek: the peek's look into the completion list takes the
            // engine's lock a second time, which the completion thread holds while it reaps.
            uint peek = mayEndInCall || Backend == SgioBackend.Sync ? PeekSize : 0u;
            if (_slots.Wait(0))
                return SubmitWithSlot(op, file, opcode, offset, ct, tracker, peek);
            return SubmitWhenSlotFree(op, file, opcode, offset, ct, tracker, peek);
        }

        private async ValueTask<long> SubmitWhenSlotFree(SgioOperation op, SgioFileHandle file, uint opcode,
                                                         long offset, CancellationToken ct, InFlightCounter? tracker,
                                                         uint peek)
        {
            try
            {
                await _slots.WaitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                Return(op);
                tracker?.Exit();
                throw;
            }
            return await SubmitWithSlot(op, file, opcode, offset, ct, tracker, peek).ConfigureAwait(false);
        }

        // Owns op (its pinned buffers), one slot and the tracker entry from here on: all are released
        // by the operation's completion or on every failure path below.
        //
        // sgio_queue_submit_and_peek hands back, without waiting, the completion of a request that
        // ended inside the call (on io_uring: a buffered write, which the calling thread writes
        // itself; every request on the SYNC backend). Such a request is finished here, on the
        // submitting thread, and its ValueTask is returned already completed: no wake-up of the
        // completion thread, no thread-pool hop. Completions of other requests that the call
        // returns too are completed here as the completion thread would.
        [SkipLocalsInit] // the peek array is only read where the library wrote it
        private unsafe ValueTask<long> SubmitWithSlot(SgioOperation op, SgioFileHandle file, uint opcode, long offset,
                                                      CancellationToken ct, InFlightCounter? tracker, uint peek)
        {
            bool fileRef = false;
            bool pending = false;
            ulong id = 0;
            short token;
            int ownStatus = 0;
            long ownBytes = 0;
            bool own;
            try
            {
                file.DangerousAddRef(ref fileRef); // the fd must outlive the request even if the SgioFile is disposed
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(_stopping, this);
                    id = ++_nextId;
                    op.Start(id, file, ct, tracker);
                    _pending.Add(id, op);
                    pending = true;
                }
                token = op.Version;
                op.RegisterCancellation();
                var req = new SgioRequest
                {
                    File = file.DangerousGetHandle(),
                    Segments = (ulong)op.Segments.Segments,
                    Count = op.Segments.Count,
                    Op = opcode,
                    Offset = (ulong)offset,
                    UserData = id,
                };
                SgioCompletion* ready = stackalloc SgioCompletion[(int)PeekSize];
                int status = SgioNative.sgio_queue_submit_and_peek(_handle, &req, 1, out uint submitted, ready, peek,
                                                                   out uint readyCount);
                own = readyCount != 0 && CompleteReady(ready, readyCount, id, out ownStatus, out ownBytes);
                if (!own && (status != 0 || submitted != 1)) // the catch below abandons the operation
                    SgioException.ThrowIfFailed(status != 0 ? status : (int)SgioStatus.SGIO_EINTERNAL);
            }
            catch (Exception e)
            {
                if (pending)
                {
                    lock (_gate)
                    {
                        _pending.Remove(id);
                        SignalIfDrainedLocked();
                    }
                    op.Abandon();
                }
                else
                {
                    if (fileRef)
                        file.DangerousRelease();
                    _slots.Release();
                    Return(op);
                    tracker?.Exit();
                }
                if (e is SgioException)
                    return ValueTask.FromException<long>(e);
                throw;
            }
            if (own) // the request has left the pending table: it is this thread's to finish
                return op.CompleteInline(ownStatus, ownBytes);
            if (ct.IsCancellationRequested)
                Cancel(id); // cancelled between registration and submission
            return new ValueTask<long>(op, token);
        }

        // Takes the ready completions out of the pending table. The one of request ownId is left to
        // the caller (true, with its status and bytes); the others are completed here.
        private unsafe bool CompleteReady(SgioCompletion* ready, uint count, ulong ownId, out int ownStatus, out long ownBytes)
        {
            bool own = false;
            ownStatus = 0;
            ownBytes = 0;
            for (uint i = 0; i < count; i++)
            {
                SgioOperation? op;
                lock (_gate)
                    _pending.Remove(ready[i].UserData, out op);
                if (ready[i].UserData == ownId && op != null)
                {
                    own = true;
                    ownStatus = ready[i].Status;
                    ownBytes = (long)ready[i].Bytes;
                }
                else
                {
                    op?.Complete(ready[i].Status, (long)ready[i].Bytes);
                }
            }
            if (Volatile.Read(ref _stopping))
            {
                lock (_gate)
                    SignalIfDrainedLocked(); // after Complete, as in Loop
            }
            return own;
        }

        // A small per-queue pool of operations (each with its pinning storage): a request allocates
        // nothing once the pool has warmed up. An operation comes back when its ValueTask has been
        // consumed (GetResult), or at once when it completed inline or never started.
        // One operation sits in _hot, taken and put back with one interlocked exchange: a caller
        // whose requests complete inline (one at a time) never takes the pool's lock.
        internal SgioOperation Rent()
        {
            SgioOperation? op = Interlocked.Exchange(ref _hot, null);
            if (op != null)
                return op;
            lock (_pool)
            {
                if (_pool.Count > 0)
                    return _pool.Pop();
            }
            return new SgioOperation(this);
        }

        internal void Return(SgioOperation op)
        {
            op.Reset();
            if (Interlocked.CompareExchange(ref _hot, op, null) == null)
                return;
            lock (_pool)
            {
                if (_pool.Count < Math.Min(Depth, MaxPooled))
                    _pool.Push(op);
            }
        }

        internal void Cancel(ulong id)
        {
            try
            {
                SgioNative.sgio_queue_cancel(_handle, id, out _);
            }
            catch (ObjectDisposedException)
            {
                // The queue is gone: Dispose already cancelled everything.
            }
        }

        internal void ReleaseSlot() => _slots.Release();

        private void Run()
        {
            try
            {
                Loop();
            }
            finally
            {
                _stopped.TrySetResult();
            }
        }

        // Blocks in the library until completions arrive. Dispose ends the loop by freeing the
        // queue, which wakes this wait with SGIO_EBADHANDLE (or the SafeHandle is already closed).
        private unsafe void Loop()
        {
            SgioCompletion* comps = stackalloc SgioCompletion[BatchSize];
            var done = new List<(SgioOperation Op, int Status, long Bytes)>(BatchSize);
            while (true)
            {
                int status;
                uint n;
                try
                {
                    status = SgioNative.sgio_queue_wait(_handle, comps, BatchSize, 1, WaitForever, out n);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                if (status != 0)
                {
                    bool stopping;
                    lock (_gate) stopping = _stopping;
                    if (!(stopping && status == (int)SgioStatus.SGIO_EBADHANDLE))
                        FailAll(status);
                    return;
                }
                lock (_gate)
                {
                    for (uint i = 0; i < n; i++)
                    {
                        if (_pending.Remove(comps[i].UserData, out SgioOperation? op))
                            done.Add((op, comps[i].Status, (long)comps[i].Bytes));
                    }
                }
                foreach (var (op, st, bytes) in done)
                    op.Complete(st, bytes);
                done.Clear(); // no reference to a recycled operation stays here
                lock (_gate) SignalIfDrainedLocked(); // after Complete: a drained queue has no task left pending
            }
        }

        private void SignalIfDrainedLocked()
        {
            if (_stopping && _pending.Count == 0)
                _drained.TrySetResult();
        }

        // sgio_queue_wait itself failed (it should not): free the queue, which waits until the
        // kernel let go of every buffer, then fail what was pending.
        private void FailAll(int status)
        {
            List<SgioOperation> ops;
            lock (_gate)
            {
                _stopping = true;
                ops = new List<SgioOperation>(_pending.Values);
                _pending.Clear();
                SignalIfDrainedLocked();
            }
            FreeQueue();
            foreach (SgioOperation op in ops)
                op.Complete(status, 0);
        }

        // Frees the native queue now, even while the completion thread is blocked in
        // sgio_queue_wait with it (SafeHandle.Dispose would wait for that call to return, which
        // only this free makes happen): the blocked wait returns SGIO_EBADHANDLE.
        private void FreeQueue()
        {
            bool added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
            }
            catch (ObjectDisposedException)
            {
                return; // already freed
            }
            IntPtr raw = _handle.DangerousGetHandle();
            _handle.SetHandleAsInvalid(); // the SafeHandle never frees it again
            _handle.DangerousRelease();
            SgioNative.sgio_queue_free(raw);
        }

        /// <summary>
        /// Cancel what is in flight, wait for those requests to complete (their tasks end cancelled
        /// or with their result), free the queue and stop the completion thread.
        /// </summary>
        public void Dispose()
        {
            if (!BeginStop())
                return;
            if (Thread.CurrentThread != _thread && !_drained.Task.Wait(DisposeBound))
            {
                // Requests the engine never completed: keep the queue (and the buffers it may still
                // use) alive rather than free memory under the kernel. Their tasks stay pending.
                return;
            }
            FreeQueue();
            if (Thread.CurrentThread != _thread)
                _thread.Join(DisposeBound);
        }

        /// <summary>
        /// <see cref="Dispose"/> without blocking a thread: cancel what is in flight, await every
        /// request's completion, free the queue and await (not join) the completion thread's exit.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            if (!BeginStop())
                return;
            bool onThread = Thread.CurrentThread == _thread;
            if (!onThread)
            {
                try
                {
                    await _drained.Task.WaitAsync(DisposeBound).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return; // as in Dispose: never free memory the kernel may still use
                }
            }
            FreeQueue();
            if (!onThread)
            {
                try
                {
                    await _stopped.Task.WaitAsync(DisposeBound).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The queue is freed; a completion thread that has not left yet has nothing to complete.
                }
            }
        }

        // Marks the queue stopping and cancels what is in flight; false if it already was stopping.
        private bool BeginStop()
        {
            ulong[] ids;
            lock (_gate)
            {
                if (_stopping)
                    return false;
                _stopping = true;
                ids = new ulong[_pending.Count];
                _pending.Keys.CopyTo(ids, 0);
                SignalIfDrainedLocked();
            }
            foreach (ulong id in ids)
                Cancel(id);
            return true;
        }

        // How long Dispose waits for cancelled requests to complete.
        private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(60);
    }

    /// <summary>
    /// One request: the pinned buffers, the file reference and the awaitable. Pooled by its queue:
    /// reused once its ValueTask has been consumed (ValueTask's rule: await it once).
    /// </summary>
    internal sealed class SgioOperation : IValueTaskSource<long>
    {
        private readonly SgioQueue _queue;
        private ulong _id;
        private SgioFileHandle? _file;
        private CancellationToken _ct;
        private InFlightCounter? _tracker;
        private CancellationTokenRegistration _ctr;
        private ManualResetValueTaskSourceCore<long> _core;

        public SgioOperation(SgioQueue queue)
        {
            _queue = queue;
            _core.RunContinuationsAsynchronously = true;
        }

        /// <summary>The pinned buffers and their sgio_segment array.</summary>
        public PinnedSegments Segments { get; } = new();

        public short Version => _core.Version;

        /// <summary>The request is about to be submitted as <paramref name="id"/> (called under the queue's lock).</summary>
        public void Start(ulong id, SgioFileHandle file, CancellationToken ct, InFlightCounter? tracker)
        {
            _id = id;
            _file = file;
            _ct = ct;
            _tracker = tracker;
        }

        public void RegisterCancellation()
        {
            if (_ct.CanBeCanceled)
                _ctr = _ct.UnsafeRegister(static s => { var o = (SgioOperation)s!; o._queue.Cancel(o._id); }, this);
        }

        /// <summary>The request never reached the engine: release everything, no result.</summary>
        public void Abandon()
        {
            InFlightCounter? tracker = _tracker;
            Release();
            _queue.Return(this);
            tracker?.Exit();
        }

        /// <summary>Called once, by whichever thread took the completion, after the engine let go of the buffers.</summary>
        public void Complete(int status, long bytes)
        {
            InFlightCounter? tracker = _tracker; // read first: once the result is set, the operation may be reused
            Exception? error = Error(status, bytes);
            Release();
            if (error == null)
                _core.SetResult(bytes);
            else
                _core.SetException(error);
            tracker?.Exit(); // after the result: a DisposeAsync that resumes sees every task done
        }

        /// <summary>
        /// The request ended inside the submit call: release everything and return its outcome as
        /// an already completed ValueTask (the same result or exception an await would give).
        /// </summary>
        public ValueTask<long> CompleteInline(int status, long bytes)
        {
            InFlightCounter? tracker = _tracker;
            CancellationToken ct = _ct;
            Exception? error = Error(status, bytes);
            Release();
            _queue.Return(this);
            tracker?.Exit();
            if (error == null)
                return new ValueTask<long>(bytes);
            return error is OperationCanceledException ? ValueTask.FromCanceled<long>(ct) : ValueTask.FromException<long>(error);
        }

        private Exception? Error(int status, long bytes)
        {
            if (status == 0)
                return null;
            if (status == (int)SgioStatus.SGIO_ECANCELED && _ct.IsCancellationRequested)
                return new OperationCanceledException(_ct);
            return SgioException.FromCompletion(status, bytes);
        }

        private void Release()
        {
            // Dispose, not Unregister: it waits for a callback that is running right now, which
            // reads _id, so a recycled operation is never cancelled on behalf of this request.
            _ctr.Dispose();
            _ctr = default;
            Segments.Unpin();
            _file!.DangerousRelease();
            _file = null;
            _queue.ReleaseSlot();
        }

        /// <summary>Clears what the last request left (pins, references) before the pool keeps it.</summary>
        public void Reset()
        {
            Segments.Unpin();
            _file = null;
            _tracker = null;
            _ct = default;
            _ctr = default;
            _id = 0;
            _core.Reset();
        }

        public long GetResult(short token)
        {
            // A stale token or a pending operation throws without recycling it (ValueTask misuse).
            if (token != _core.Version || _core.GetStatus(token) == ValueTaskSourceStatus.Pending)
                return _core.GetResult(token);
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                _queue.Return(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token,
                                ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
    }
}
