// SPDX-License-Identifier: Apache-2.0
// The seed (shared/seed/WriteFileGather.pinvoke.txt) as published: compiled by the consumer tests
// (consumer_seed_test.sh, wine_app_test.sh), never run; the package's analyzers must flag it.
using System;
using System.Runtime.InteropServices;
using System.Threading;

static unsafe class SeedAsIs
{
[DllImport("kernel32.dll", SetLastError=true)]
static extern bool WriteFileGather(IntPtr hFile, [Out] FILE_SEGMENT_ELEMENT []
   aSegmentArray, uint nNumberOfBytesToWrite, IntPtr lpReserved,
   [In] ref System.Threading.NativeOverlapped lpOverlapped);

    static void Loop(IntPtr[] ABuffers, int ACount, int ASize, int FPageSize)
    {
int LPerBufferPageCount = ASize / FPageSize;
FILE_SEGMENT_ELEMENT* LElements = stackalloc FILE_SEGMENT_ELEMENT[(ACount * LPerBufferPageCount) + 1];
for (int LElementIndex = 0; LElementIndex < ACount; LElementIndex++)
  for (int LPageIndex = 0; LPageIndex < LPerBufferPageCount; LPageIndex++)
   LElements[(LElementIndex * LPerBufferPageCount) + LPageIndex].Buffer =
    (IntPtr)((uint)ABuffers[LElementIndex] + (LPageIndex * FPageSize));
LElements[(ACount * LPerBufferPageCount)].Buffer = IntPtr.Zero;
    }
}
