// SPDX-License-Identifier: Apache-2.0
package io.sgio.tests;

import static io.sgio.Win32.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sgio.OVERLAPPED;
import io.sgio.SYSTEM_INFO;
import io.sgio.Win32;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Win32 face through the generated io.sgio.Win32 class, used as Windows code uses kernel32:
 * VirtualAlloc'd pages, FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING handles, OVERLAPPED, and
 * GetLastError() codes. Every wait is bounded (GetOverlappedResultEx / WaitForSingleObject with a
 * timeout), so a lost completion fails the test instead of hanging it.
 */
class Win32Test {
  static final long WAIT_MS = 30_000;
  static final long RW = GENERIC_READ | GENERIC_WRITE;
  static final long ASYNC_DIRECT = FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING;

  @TempDir Path dir;
  int page;
  final List<Long> handles = new ArrayList<>();
  final List<Long> blocks = new ArrayList<>();

  @BeforeEach
  void systemInfo() {
    SYSTEM_INFO si = new SYSTEM_INFO();
    GetSystemInfo(si);
    page = (int) si.getDwPageSize();
    assertTrue(page >= 4096 && Integer.bitCount(page) == 1);
    assertEquals(page, PageSize());
    si.delete();
  }

  @AfterEach
  void release() {
    for (long h : handles) CloseHandle(h);
    for (long b : blocks) VirtualFree(b, 0, MEM_RELEASE);
  }

  long open(Path p, long disposition, long flags) {
    long h = CreateFileW(p.toString(), RW, 0, 0, disposition, flags, 0);
    assertNotEquals(INVALID_HANDLE_VALUE, h, "CreateFileW failed with " + GetLastError());
    handles.add(h);
    return h;
  }

  /** pages of VirtualAlloc memory, seen as one direct ByteBuffer. */
  ByteBuffer alloc(int pages) {
    long base = VirtualAlloc(0, (long) pages * page, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    assertNotEquals(0, base, "VirtualAlloc failed with " + GetLastError());
    blocks.add(base);
    ByteBuffer b = NewDirectByteBuffer(base, (long) pages * page);
    assertEquals(base, BufferAddress(b));
    return b;
  }

  /** One page-sized slice per page of mem, in the given page order. */
  ByteBuffer[] pagesOf(ByteBuffer mem, int... order) {
    ByteBuffer[] segs = new ByteBuffer[order.length];
    for (int i = 0; i < order.length; i++) segs[i] = mem.duplicate().position(order[i] * page).limit((order[i] + 1) * page).slice();
    return segs;
  }

  static void fill(ByteBuffer b, int seed) {
    for (int i = 0; i < b.capacity(); i++) b.put(i, (byte) (i * 13 + seed + (i >>> 12)));
  }

  /** Waits (bounded) for the request and returns the bytes transferred; fails on a Win32 error. */
  static long complete(long h, OVERLAPPED ov) {
    long[] n = new long[1];
    boolean ok = GetOverlappedResultEx(h, ov, n, WAIT_MS, false);
    assertTrue(ok, "GetOverlappedResultEx failed with " + GetLastError());
    return n[0];
  }

  /** A gather/scatter call either completed (TRUE) or is pending (FALSE + ERROR_IO_PENDING). */
  static void assertStarted(boolean result) {
    if (!result) assertEquals(ERROR_IO_PENDING, GetLastError());
  }

  @Test
  void gatherWriteThenScatterReadWithVirtualAllocPages() throws Exception {
    Path p = dir.resolve("w32.bin");
    long h = open(p, CREATE_ALWAYS, ASYNC_DIRECT);
    ByteBuffer src = alloc(4);
    fill(src, 1);

    OVERLAPPED ov = new OVERLAPPED();
    ov.setFileOffset(2L * page);
    assertStarted(WriteFileGather(h, pagesOf(src, 0, 1, 2, 3), 4L * page, 0, ov));
    assertEquals(4L * page, complete(h, ov));
    assertEquals(STATUS_SUCCESS, ov.getInternal());
    assertEquals(4L * page, ov.getInternalHigh());

    long[] size = new long[1];
    assertTrue(GetFileSizeEx(h, size));
    assertEquals(6L * page, size[0]);

    // Scatter the same bytes back into pages in reverse order.
    ByteBuffer dst = alloc(4);
    OVERLAPPED rov = new OVERLAPPED();
    rov.setFileOffset(2L * page);
    assertStarted(ReadFileScatter(h, pagesOf(dst, 3, 2, 1, 0), 4L * page, 0, rov));
    assertEquals(4L * page, complete(h, rov));
    for (int i = 0; i < 4; i++) {
      ByteBuffer want = src.duplicate().position(i * page).limit((i + 1) * page);
      ByteBuffer got = dst.duplicate().position((3 - i) * page).limit((4 - i) * page);
      assertEquals(want, got, "page " + i);
    }
    ov.delete();
    rov.delete();

    // What the file holds, read by plain Java: two zero pages then the four written ones.
    assertTrue(CloseHandle(h));
    handles.remove((Long) h);
    byte[] disk = Files.readAllBytes(p);
    assertEquals(6 * page, disk.length);
    byte[] expect = new byte[4 * page];
    src.duplicate().get(expect);
    assertArrayEquals(expect, java.util.Arrays.copyOfRange(disk, 2 * page, 6 * page));
  }

  @Test
  void zeroCopyDirectSegmentArrayAndOverlappedBuffer() {
    long h = open(dir.resolve("zc.bin"), CREATE_ALWAYS, ASYNC_DIRECT);
    ByteBuffer mem = alloc(3);
    fill(mem, 7);
    // FILE_SEGMENT_ELEMENT[4]: three page addresses and the NULL terminator, native order.
    ByteBuffer segs = ByteBuffer.allocateDirect(4 * FILE_SEGMENT_ELEMENT_SIZE).order(ByteOrder.nativeOrder());
    for (int i = 0; i < 3; i++) segs.putLong(8 * i, BufferAddress(mem) + (long) i * page);
    segs.putLong(24, 0);
    // OVERLAPPED in a direct buffer: Internal @0, InternalHigh @8, Offset @16, OffsetHigh @20, hEvent @24.
    ByteBuffer ov = ByteBuffer.allocateDirect(OVERLAPPED.SIZE).order(ByteOrder.nativeOrder());
    long event = CreateEventW(0, true, false, null);
    assertNotEquals(0, event);
    handles.add(event);
    ov.putInt(16, page).putInt(20, 0).putLong(24, event);

    assertStarted(WriteFileGather(h, segs, 3L * page, 0, ov));
    assertEquals(WAIT_OBJECT_0, WaitForSingleObject(event, WAIT_MS));
    long[] n = new long[1];
    assertTrue(GetOverlappedResult(h, ov, n, false));
    assertEquals(3L * page, n[0]);
    assertEquals(3L * page, ov.getLong(8));
    assertEquals(STATUS_SUCCESS, ov.getLong(0));

    // Read back through the same zero-copy form into fresh pages.
    ByteBuffer back = alloc(3);
    ByteBuffer rsegs = ByteBuffer.allocateDirect(4 * 8).order(ByteOrder.nativeOrder());
    assertEquals(3, FillSegmentArray(rsegs, pagesOf(back, 0, 1, 2)));
    assertEquals(0, rsegs.getLong(24), "FillSegmentArray writes the NULL terminator");
    assertTrue(ResetEvent(event));
    ByteBuffer rov = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
    rov.putInt(16, page).putLong(24, event);
    assertStarted(ReadFileScatter(h, rsegs, 3L * page, 0, rov));
    assertEquals(WAIT_OBJECT_0, WaitForSingleObject(event, WAIT_MS));
    assertTrue(GetOverlappedResult(h, rov, n, false));
    assertEquals(3L * page, n[0]);
    assertEquals(mem, back);

    // OVERLAPPED.wrap gives the proxy view of the same buffer.
    OVERLAPPED view = OVERLAPPED.wrap(rov);
    assertEquals(3L * page, view.getInternalHigh());
    assertEquals(page, view.getFileOffset());
    assertEquals(event, view.getHEvent());
  }

  @Test
  void completionPortReportsTheOverlappedAddressAndKey() {
    long h = open(dir.resolve("iocp.bin"), CREATE_ALWAYS, ASYNC_DIRECT);
    long port = CreateIoCompletionPort(h, 0, 0xC0FFEEL, 0);
    assertNotEquals(0, port, "CreateIoCompletionPort failed with " + GetLastError());
    handles.add(port);
    ByteBuffer mem = alloc(2);
    fill(mem, 3);
    OVERLAPPED ov = new OVERLAPPED();
    assertStarted(WriteFileGather(h, pagesOf(mem, 1, 0), 2L * page, 0, ov));
    long[] n = new long[1], key = new long[1], addr = new long[1];
    assertTrue(GetQueuedCompletionStatus(port, n, key, addr, WAIT_MS), "GQCS failed with " + GetLastError());
    assertEquals(2L * page, n[0]);
    assertEquals(0xC0FFEEL, key[0]);
    assertEquals(ov.address(), addr[0]);
    // Nothing else queued: a short poll times out with WAIT_TIMEOUT and no packet.
    assertFalse(GetQueuedCompletionStatus(port, n, key, addr, 0));
    assertEquals(WAIT_TIMEOUT, GetLastError());
    assertEquals(0, addr[0]);
  }

  @Test
  void postedPacketsAndGetQueuedCompletionStatusEx() {
    long port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, 0, 0, 0);
    assertNotEquals(0, port, "CreateIoCompletionPort failed with " + GetLastError());
    handles.add(port);
    OVERLAPPED a = new OVERLAPPED(), b = new OVERLAPPED();
    assertTrue(PostQueuedCompletionStatus(port, 11, 0x1111, a));
    assertTrue(PostQueuedCompletionStatus(port, 22, 0x2222, b));
    // OVERLAPPED_ENTRY records in a direct buffer: key @0, lpOverlapped @8, Internal @16, bytes @24.
    ByteBuffer entries = ByteBuffer.allocateDirect(4 * OVERLAPPED_ENTRY_SIZE).order(ByteOrder.nativeOrder());
    long[] removed = new long[1];
    assertTrue(GetQueuedCompletionStatusEx(port, entries, 4, removed, WAIT_MS, false),
        "GQCSEx failed with " + GetLastError());
    assertEquals(2, removed[0]);
    assertEquals(0x1111, entries.getLong(0));
    assertEquals(a.address(), entries.getLong(8));
    assertEquals(11, entries.getInt(24));
    assertEquals(0x2222, entries.getLong(32));
    assertEquals(b.address(), entries.getLong(40));
    assertEquals(22, entries.getInt(56));
    assertFalse(GetQueuedCompletionStatusEx(port, entries, 4, removed, 0, false));
    assertEquals(WAIT_TIMEOUT, GetLastError());
  }

  @Test
  void plainReadFileAndWriteFileWithAddresses() {
    long h = open(dir.resolve("plain.bin"), CREATE_ALWAYS, 0);
    ByteBuffer mem = alloc(1);
    fill(mem, 5);
    long[] n = new long[1];
    assertTrue(WriteFile(h, BufferAddress(mem), 1000, n, null), "WriteFile failed with " + GetLastError());
    assertEquals(1000, n[0]);
    long[] size = new long[1];
    assertTrue(GetFileSizeEx(h, size));
    assertEquals(1000, size[0]);
    long[] pos = new long[1];
    assertTrue(SetFilePointerEx(h, 0, pos, FILE_BEGIN));
    assertEquals(0, pos[0]);
    ByteBuffer back = alloc(1);
    assertTrue(ReadFile(h, BufferAddress(back), 4096, n, null));
    assertEquals(1000, n[0]);
    assertEquals(mem.duplicate().limit(1000), back.duplicate().limit(1000));
    assertTrue(ReadFile(h, BufferAddress(back), 4096, n, null));
    assertEquals(0, n[0], "a synchronous ReadFile at end of file succeeds with 0 bytes");
    assertTrue(SetFilePointerEx(h, 10, null, FILE_BEGIN));
    assertTrue(SetEndOfFile(h));
    assertTrue(FlushFileBuffers(h));
    assertTrue(GetFileSizeEx(h, size));
    assertEquals(10, size[0]);
  }

  @Test
  void heapBuffersAreRefusedWithIllegalArgumentException() {
    long h = open(dir.resolve("heap.bin"), CREATE_ALWAYS, ASYNC_DIRECT);
    OVERLAPPED ov = new OVERLAPPED();
    ByteBuffer[] heap = {ByteBuffer.allocate(page)};
    assertThrows(IllegalArgumentException.class, () -> WriteFileGather(h, heap, page, 0, ov));
    assertThrows(IllegalArgumentException.class, () -> ReadFileScatter(h, heap, page, 0, ov));
    assertThrows(IllegalArgumentException.class, () -> WriteFileGather(h, ByteBuffer.allocate(16), page, 0, ov));
    assertThrows(IllegalArgumentException.class, () -> BufferAddress(ByteBuffer.allocate(1)));
    assertThrows(IllegalArgumentException.class,
        () -> WriteFileGather(h, ByteBuffer.allocateDirect(16), page, 0, ByteBuffer.allocate(32)));
  }

  @Test
  void shortSegmentArraysAndOutOfRangeDwordsAreRefusedBeforeTheCall() {
    long h = open(dir.resolve("short.bin"), CREATE_ALWAYS, ASYNC_DIRECT);
    ByteBuffer mem = alloc(2);
    OVERLAPPED ov = new OVERLAPPED();
    // 2 pages of bytes, 1 segment: the library would read past the array.
    assertThrows(IllegalArgumentException.class, () -> WriteFileGather(h, pagesOf(mem, 0), 2L * page, 0, ov));
    ByteBuffer oneElement = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    assertThrows(IllegalArgumentException.class, () -> WriteFileGather(h, oneElement, 2L * page, 0, ov));
    // A DWORD cannot hold 2^32: refused instead of silently cut to 0.
    assertThrows(IllegalArgumentException.class, () -> WaitForSingleObject(h, 1L << 32));
    assertThrows(IllegalArgumentException.class, () -> OVERLAPPED.wrap(ByteBuffer.allocateDirect(16)));
  }

  @Test
  void errorCodesMatchWindows() {
    long h = open(dir.resolve("errors.bin"), CREATE_ALWAYS, ASYNC_DIRECT);
    ByteBuffer mem = alloc(3);
    OVERLAPPED ov = new OVERLAPPED();

    // 87: a segment that is not page-aligned.
    ByteBuffer shifted = mem.duplicate().position(1).limit(1 + page).slice();
    assertFalse(WriteFileGather(h, new ByteBuffer[] {shifted}, page, 0, ov));
    assertEquals(ERROR_INVALID_PARAMETER, GetLastError());
    // 87: a byte count that is not a multiple of the sector size.
    assertFalse(WriteFileGather(h, pagesOf(mem, 0), 100, 0, ov));
    assertEquals(ERROR_INVALID_PARAMETER, GetLastError());
    // 87: no OVERLAPPED.
    assertFalse(WriteFileGather(h, pagesOf(mem, 0), page, 0, (OVERLAPPED) null));
    assertEquals(ERROR_INVALID_PARAMETER, GetLastError());
    assertFalse(ReadFileScatter(h, pagesOf(mem, 0), page, 0, (OVERLAPPED) null));
    assertEquals(ERROR_INVALID_PARAMETER, GetLastError());
    // 87: lpReserved not NULL.
    assertFalse(WriteFileGather(h, pagesOf(mem, 0), page, 8, ov));
    assertEquals(ERROR_INVALID_PARAMETER, GetLastError());
    // 87: a handle opened without FILE_FLAG_OVERLAPPED.
    long sync = open(dir.resolve("sync.bin"), CREATE_ALWAYS, FILE_FLAG_NO_BUFFERING);
    assertFalse(WriteFileGather(sync, pagesOf(mem, 0), page, 0, ov));
    assertEquals(ERROR_INVALID_PARAMETER, GetLastError());
    // 6: a handle that was never opened, and one that was closed.
    assertFalse(WriteFileGather(0x7654320L, pagesOf(mem, 0), page, 0, ov));
    assertEquals(ERROR_INVALID_HANDLE, GetLastError());
    long closed = CreateFileW(dir.resolve("closed.bin").toString(), RW, 0, 0, CREATE_ALWAYS, ASYNC_DIRECT, 0);
    assertTrue(CloseHandle(closed));
    assertFalse(ReadFileScatter(closed, pagesOf(mem, 0), page, 0, ov));
    assertEquals(ERROR_INVALID_HANDLE, GetLastError());
    assertFalse(CloseHandle(closed));
    assertEquals(ERROR_INVALID_HANDLE, GetLastError());

    // 38: a scatter read that starts at end of file completes with ERROR_HANDLE_EOF.
    OVERLAPPED eof = new OVERLAPPED();
    eof.setFileOffset(8L * page);
    boolean started = ReadFileScatter(h, pagesOf(mem, 0, 1), 2L * page, 0, eof);
    if (!started && GetLastError() == ERROR_IO_PENDING) {
      long[] n = new long[1];
      assertFalse(GetOverlappedResultEx(h, eof, n, WAIT_MS, false));
      assertEquals(0, n[0]);
    }
    assertEquals(ERROR_HANDLE_EOF, GetLastError());
    assertEquals(STATUS_END_OF_FILE, eof.getInternal());

    // 2: CreateFile of a missing file; GetLastError is per call, not sticky.
    assertEquals(INVALID_HANDLE_VALUE,
        CreateFileW(dir.resolve("missing.bin").toString(), GENERIC_READ, 0, 0, OPEN_EXISTING, 0, 0));
    assertEquals(ERROR_FILE_NOT_FOUND, GetLastError());
    SetLastError(1234);
    assertEquals(1234, GetLastError());
    SetLastError(0);
    assertEquals(0, GetLastError());
  }

  @Test
  void createFileADeleteFileWAndUtf16Names() throws Exception {
    Path p = dir.resolve("zażółć-\uD83D\uDCBE.bin");
    long h = CreateFileA(p.toString(), RW, 0, 0, CREATE_NEW, 0, 0);
    assertNotEquals(INVALID_HANDLE_VALUE, h, "CreateFileA failed with " + GetLastError());
    assertTrue(CloseHandle(h));
    assertTrue(Files.exists(p));
    assertEquals(INVALID_HANDLE_VALUE, CreateFileW(p.toString(), RW, 0, 0, CREATE_NEW, 0, 0));
    assertEquals(ERROR_FILE_EXISTS, GetLastError());
    assertTrue(DeleteFileW(p.toString()));
    assertFalse(Files.exists(p));
    assertFalse(DeleteFileW(p.toString()));
    assertEquals(ERROR_FILE_NOT_FOUND, GetLastError());
    assertThrows(IllegalArgumentException.class, () -> CreateFileW("a\0b", RW, 0, 0, CREATE_NEW, 0, 0));
  }

  @Test
  void overlappedFieldsAndSixtyFourBitOffset() {
    OVERLAPPED ov = new OVERLAPPED();
    ov.setFileOffset(0x1_0000_2000L);
    assertEquals(0x2000L, ov.getOffset());
    assertEquals(1L, ov.getOffsetHigh());
    ov.setOffset(0xFFFFF000L);
    ov.setOffsetHigh(2);
    assertEquals(0x2_FFFF_F000L, ov.getFileOffset());
    ov.setHEvent(0x44);
    assertEquals(0x44, ov.getHEvent());
    ov.setInternal(STATUS_PENDING);
    assertTrue(ov.isPending());
    // A pending OVERLAPPED is never freed: delete() leaks it instead (the library may still write).
    ov.delete();
    assertEquals(0, ov.address());
    OVERLAPPED done = new OVERLAPPED();
    assertNotEquals(0, done.address());
    done.delete();
    done.delete();
  }

  @Test
  void cancelIoExWithNothingInFlight() {
    long h = open(dir.resolve("cancel.bin"), CREATE_ALWAYS, ASYNC_DIRECT);
    assertFalse(CancelIoEx(h, (OVERLAPPED) null));
    assertEquals(ERROR_NOT_FOUND, GetLastError());
    assertTrue(CancelIo(h));
  }
}
