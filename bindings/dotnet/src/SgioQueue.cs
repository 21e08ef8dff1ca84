// SPDX-License-Identifier: Apache-2.0
// SgioQueue.cs - an sgio_queue (io_uring where the kernel allows it) completed by ONE dedicated
// thread that blocks in sgio_queue_wait with no timeout (never a polling slice) and completes the
// requests' ValueTasks. Dispose wakes it by freeing the queue: the library then returns
// SGIO_EBADHANDLE to the blocked wait. Continuations run on the thread pool
// (RunContinuationsAsynchronously), never on the completion thread, and no thread blocks per request.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Sgio
{
    /// <summary>An asynchronous request queue with its completion thread.</summary>
    public sealed class SgioQueue : IDisposable, IAsyncDisposable
    {
        private const int BatchSize = 64;
        private const uint WaitForever = uint.MaxValue; // sgio_queue_wait: UINT32_MAX, no timeout

        private static readonly Lazy<SgioQueue> s_shared = new(() => new SgioQueue(), LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly SgioQueueHandle _handle;
        private readonly SemaphoreSlim _slots;
        private readonly object _gate = new();
        private readonly Dictionary<ulong, SgioOperation> _pending = new();
        private readonly Thread _thread;
        // Completed when the completion thread has exited (DisposeAsync awaits it instead of Join).
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // Completed once stopping has begun and no request is pending any more.
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ulong _nextId;
        private bool _stopping;

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
        internal ValueTask<long> Submit(SgioFileHandle file, PinnedSegments segs, uint op, long offset,
                                        CancellationToken ct, InFlightCounter? tracker = null)
        {
            tracker?.Enter();
            bool stopping;
            lock (_gate) stopping = _stopping;
            if (stopping || segs.Count == 0)
            {
                segs.Dispose();
                tracker?.Exit();
                ObjectDisposedException.ThrowIf(stopping, this);
                return ValueTask.FromResult(0L);
            }
            if (_slots.Wait(0))
                return SubmitWithSlot(file, segs, op, offset, ct, tracker);
            return SubmitWhenSlotFree(file, segs, op, offset, ct, tracker);
        }

        private async ValueTask<long> SubmitWhenSlotFree(SgioFileHandle file, PinnedSegments segs, uint op,
                                                         long offset, CancellationToken ct, InFlightCounter? tracker)
        {
            try
            {
                await _slots.WaitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                segs.Dispose();
                tracker?.Exit();
                throw;
            }
            return await SubmitWithSlot(file, segs, op, offset, ct, tracker).ConfigureAwait(false);
        }

        // Owns segs, one slot and the tracker entry from here on: all are released by the
        // operation's completion or on every failure path below.
        private unsafe ValueTask<long> SubmitWithSlot(SgioFileHandle file, PinnedSegments segs, uint op, long offset,
                                               CancellationToken ct, InFlightCounter? tracker)
        {
            SgioOperation? operation = null;
            bool fileRef = false;
            ulong id = 0;
            try
            {
                file.DangerousAddRef(ref fileRef); // the fd must outlive the request even if the SgioFile is disposed
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(_stopping, this);
                    id = ++_nextId;
                    operation = new SgioOperation(this, id, segs, file, ct, tracker);
                    _pending.Add(id, operation);
                }
                operation.RegisterCancellation();
                var req = new SgioRequest
                {
                    File = file.DangerousGetHandle(),
                    Segments = (ulong)segs.Segments,
                    Count = segs.Count,
                    Op = op,
                    Offset = (ulong)offset,
                    UserData = id,
                };
                int status = SgioNative.sgio_queue_submit(_handle, &req, 1, out uint submitted);
                if (status != 0 || submitted != 1) // the catch below abandons the operation
                    SgioException.ThrowIfFailed(status != 0 ? status : (int)SgioStatus.SGIO_EINTERNAL);
                if (ct.IsCancellationRequested)
                    Cancel(id); // cancelled between registration and submission
                return new ValueTask<long>(operation!, operation!.Version);
            }
            catch (Exception e)
            {
                if (operation != null)
                {
                    lock (_gate)
                    {
                        _pending.Remove(id);
                        SignalIfDrainedLocked();
                    }
                    operation.Abandon();
                }
                else
                {
                    segs.Dispose();
                    if (fileRef)
                        file.DangerousRelease();
                    _slots.Release();
                    tracker?.Exit();
                }
                if (e is SgioException)
                    return ValueTask.FromException<long>(e);
                throw;
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
                done.Clear();
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

    /// <summary>One request in flight: the pinned buffers, the file reference and the awaitable.</summary>
    internal sealed class SgioOperation : IValueTaskSource<long>
    {
        private readonly SgioQueue _queue;
        private readonly ulong _id;
        private readonly PinnedSegments _segs;
        private readonly SgioFileHandle _file;
        private readonly CancellationToken _ct;
        private readonly InFlightCounter? _tracker;
        private CancellationTokenRegistration _ctr;
        private ManualResetValueTaskSourceCore<long> _core;

        public SgioOperation(SgioQueue queue, ulong id, PinnedSegments segs, SgioFileHandle file, CancellationToken ct,
                             InFlightCounter? tracker)
        {
            _tracker = tracker;
            _queue = queue;
            _id = id;
            _segs = segs;
            _file = file;
            _ct = ct;
            _core.RunContinuationsAsynchronously = true;
        }

        public short Version => _core.Version;

        public void RegisterCancellation()
        {
            if (_ct.CanBeCanceled)
                _ctr = _ct.UnsafeRegister(static s => { var o = (SgioOperation)s!; o._queue.Cancel(o._id); }, this);
        }

        /// <summary>The request never reached the engine: release everything, no result.</summary>
        public void Abandon()
        {
            Release();
            _tracker?.Exit();
        }

        /// <summary>Called once, by the completion thread, after the engine let go of the buffers.</summary>
        public void Complete(int status, long bytes)
        {
            Release();
            if (status == 0)
                _core.SetResult(bytes);
            else if (status == (int)SgioStatus.SGIO_ECANCELED && _ct.IsCancellationRequested)
                _core.SetException(new OperationCanceledException(_ct));
            else
                _core.SetException(SgioException.FromCompletion(status, bytes));
            _tracker?.Exit(); // after the result: a DisposeAsync that resumes sees every task done
        }

        private void Release()
        {
            _ctr.Unregister();
            _segs.Dispose();
            _file.DangerousRelease();
            _queue.ReleaseSlot();
        }

        public long GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token,
                                ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
    }
}
