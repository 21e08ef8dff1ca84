// SPDX-License-Identifier: Apache-2.0
// SignatureTests.cs - the SWIG-generated P/Invokes have exactly the seed's shapes, every extern
// binds to a real export of libsgio, and the structs have the C layouts.
using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Runtime.CompilerServices;
using Xunit;
using Seed = Sgio.Tests.SeedOnKernel32.Kernel32Dll;

namespace Sgio.Tests
{
    public class SignatureTests
    {
        private static MethodInfo Extern(Type t, string name, Type secondParameter) =>
            t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
             .Single(m => m.Name == name && m.GetParameters().Length == 5 && m.GetParameters()[1].ParameterType == secondParameter);

        // The seed's FILE_SEGMENT_ELEMENT is the program's own type; compare by name and shape.
        private static string Shape(Type t)
        {
            string s = t.IsByRef ? "ref " + Shape(t.GetElementType()!) : t.IsPointer ? Shape(t.GetElementType()!) + "*"
                     : t.IsArray ? Shape(t.GetElementType()!) + "[]" : t.Name;
            return s;
        }

        [Theory]
        [InlineData("WriteFileGather")]
        [InlineData("ReadFileScatter")]
        public void ArrayFormMatchesTheSeedParameterByParameter(string name)
        {
            MethodInfo seed = Extern(typeof(Seed), name, typeof(SeedOnKernel32.FILE_SEGMENT_ELEMENT[]));
            MethodInfo ours = Extern(typeof(Kernel32), name, typeof(FILE_SEGMENT_ELEMENT[]));
            AssertSameShape(seed, ours, arrayAttributeDiffers: true);
            Assert.Equal(typeof(bool), ours.ReturnType);
            // The seed text: IntPtr, [Out] FILE_SEGMENT_ELEMENT[], uint, IntPtr, [In] ref NativeOverlapped,
            // less the array's [Out] (see SeedsOutAttributeMakesDotNetPassAZeroedArray).
            ParameterInfo[] p = ours.GetParameters();
            Assert.Equal(typeof(IntPtr), p[0].ParameterType);
            Assert.True(seed.GetParameters()[1].IsOut);
            Assert.False(p[1].IsOut || p[1].IsIn);
            Assert.Equal(typeof(uint), p[2].ParameterType);
            Assert.Equal(typeof(IntPtr), p[3].ParameterType);
            Assert.Equal(typeof(NativeOverlapped).MakeByRefType(), p[4].ParameterType);
            Assert.True(p[4].IsIn && !p[4].IsOut);
            Assert.Equal(new[] { "hFile", "aSegmentArray", name == "WriteFileGather" ? "nNumberOfBytesToWrite" : "nNumberOfBytesToRead", "lpReserved", "lpOverlapped" },
                         p.Select(x => x.Name));
        }

        [Theory]
        [InlineData("WriteFileGather")]
        [InlineData("ReadFileScatter")]
        public void PointerFormMatchesTheSeedParameterByParameter(string name)
        {
            MethodInfo seed = Extern(typeof(Seed), name, typeof(SeedOnKernel32.FILE_SEGMENT_ELEMENT*));
            MethodInfo ours = Extern(typeof(Kernel32), name, typeof(FILE_SEGMENT_ELEMENT*));
            AssertSameShape(seed, ours);
            Assert.Equal(typeof(int), ours.ReturnType);
            Assert.Equal(new[] { typeof(IntPtr), typeof(FILE_SEGMENT_ELEMENT*), typeof(int), typeof(IntPtr), typeof(NativeOverlapped*) },
                         ours.GetParameters().Select(x => x.ParameterType));
        }

        private static void AssertSameShape(MethodInfo seed, MethodInfo ours, bool arrayAttributeDiffers = false)
        {
            Assert.True(ours.Attributes.HasFlag(MethodAttributes.PinvokeImpl), $"{ours} is not a P/Invoke");
            Assert.True(ours.IsStatic && ours.IsPublic);
            Assert.Equal(Shape(seed.ReturnType), Shape(ours.ReturnType));
            ParameterInfo[] sp = seed.GetParameters(), op = ours.GetParameters();
            Assert.Equal(sp.Length, op.Length);
            for (int i = 0; i < sp.Length; i++)
            {
                Assert.Equal(Shape(sp[i].ParameterType), Shape(op[i].ParameterType));
                if (!(arrayAttributeDiffers && i == 1))
                {
                    Assert.Equal(sp[i].IsIn, op[i].IsIn);
                    Assert.Equal(sp[i].IsOut, op[i].IsOut);
                }
                Assert.Equal(sp[i].Name, op[i].Name);
            }
            DllImportAttribute sd = seed.GetCustomAttribute<DllImportAttribute>()!;
            DllImportAttribute od = ours.GetCustomAttribute<DllImportAttribute>()!;
            Assert.True(sd.SetLastError);
            Assert.True(od.SetLastError, $"{ours} lacks SetLastError=true");
            Assert.Equal(seed.Name, od.EntryPoint);
            Assert.Equal(SgioNative.LibraryName, od.Value);
            Assert.Equal("libsgio", od.Value); // libsgio.dll on Windows: "sgio" would be the managed Sgio.dll
            Assert.Equal(sd.CallingConvention, od.CallingConvention);
        }

        // Why the binding drops the seed's [Out] on the segment array: with it, .NET passes a zeroed
        // array to the library (and zeroes the caller's afterwards), so every call fails with 87.
        [Fact]
        public void SeedsOutAttributeMakesDotNetPassAZeroedArray()
        {
            string path = TestSupport.NewPath("seed-out");
            IntPtr h = Kernel32.CreateFileW(path, Win32.GENERIC_WRITE, 0, IntPtr.Zero, Win32.CREATE_ALWAYS,
                                            Win32.FILE_FLAG_OVERLAPPED | Win32.FILE_FLAG_NO_BUFFERING, IntPtr.Zero);
            IntPtr page = Kernel32.VirtualAlloc(IntPtr.Zero, (UIntPtr)Environment.SystemPageSize, Win32.MEM_COMMIT | Win32.MEM_RESERVE, Win32.PAGE_READWRITE);
            try
            {
                var seedArray = new SeedOnKernel32.FILE_SEGMENT_ELEMENT[2];
                seedArray[0].Buffer = page;
                var ov = new NativeOverlapped();
                Assert.False(Seed.WriteFileGather(h, seedArray, (uint)Environment.SystemPageSize, IntPtr.Zero, ref ov));
                Assert.Equal((int)Win32.ERROR_INVALID_PARAMETER, Marshal.GetLastWin32Error());
                Assert.Equal(IntPtr.Zero, seedArray[0].Buffer);

                var ours = new FILE_SEGMENT_ELEMENT[2];
                ours[0].Buffer = page;
                ov = new NativeOverlapped();
                bool done = Kernel32.WriteFileGather(h, ours, (uint)Environment.SystemPageSize, IntPtr.Zero, ref ov);
                Assert.True(done || Marshal.GetLastWin32Error() == (int)Win32.ERROR_IO_PENDING);
                Assert.True(Kernel32.GetOverlappedResult(h, ref ov, out uint n, true));
                Assert.Equal((uint)Environment.SystemPageSize, n);
                Assert.Equal(page, ours[0].Buffer);
            }
            finally
            {
                Kernel32.VirtualFree(page, UIntPtr.Zero, Win32.MEM_RELEASE);
                Kernel32.CloseHandle(h);
                Kernel32.DeleteFileW(path);
            }
        }

        [Fact]
        public void EveryWin32ExternButGetAndSetLastErrorSetsLastError()
        {
            foreach (MethodInfo m in typeof(Kernel32).GetMethods(BindingFlags.Public | BindingFlags.Static)
                                                     .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl)))
            {
                bool expected = m.Name is not ("GetLastError" or "SetLastError");
                Assert.True(expected == m.GetCustomAttribute<DllImportAttribute>()!.SetLastError, m.Name);
            }
        }

        [Theory]
        [InlineData(typeof(Kernel32))]
        [InlineData(typeof(SgioNative))]
        public void EveryExternBindsToAnExportOfLibsgio(Type cls)
        {
            IntPtr lib = NativeLibrary.Load("libsgio.so", typeof(Kernel32).Assembly, null);
            string[] missing = cls.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
                .Select(m => m.GetCustomAttribute<DllImportAttribute>()!.EntryPoint!)
                .Where(e => !NativeLibrary.TryGetExport(lib, e, out _))
                .Distinct().ToArray();
            Assert.Empty(missing);
        }

        [Fact]
        public void TheWin32FaceCoversTheDesign()
        {
            string[] names = typeof(Kernel32).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToArray();
            foreach (string n in new[] { "CreateFileW", "CloseHandle", "VirtualAlloc", "VirtualFree", "GetSystemInfo",
                                         "GetOverlappedResult", "GetOverlappedResultEx", "CancelIoEx", "CreateEventW",
                                         "SetEvent", "ResetEvent", "WaitForSingleObject", "CreateIoCompletionPort",
                                         "GetQueuedCompletionStatus", "PostQueuedCompletionStatus", "GetFileSizeEx",
                                         "FlushFileBuffers", "DeleteFileW", "GetLastError", "WriteFileGather", "ReadFileScatter" })
                Assert.Contains(n, names);
            MethodInfo create = typeof(Kernel32).GetMethod("CreateFileW")!;
            ParameterInfo path = create.GetParameters()[0];
            Assert.Equal(typeof(string), path.ParameterType);
            Assert.Equal(UnmanagedType.LPWStr, path.GetCustomAttribute<MarshalAsAttribute>()!.Value); // UTF-16
        }

        [Fact]
        public void StructsHaveTheCLayouts()
        {
            Assert.Equal(8, Marshal.SizeOf<FILE_SEGMENT_ELEMENT>());
            Assert.Equal(8, Unsafe.SizeOf<FILE_SEGMENT_ELEMENT>());
            Assert.Equal(LayoutKind.Explicit, typeof(FILE_SEGMENT_ELEMENT).StructLayoutAttribute!.Value);
            Assert.Equal(0, (int)Marshal.OffsetOf<FILE_SEGMENT_ELEMENT>(nameof(FILE_SEGMENT_ELEMENT.Buffer)));
            Assert.Equal(0, (int)Marshal.OffsetOf<FILE_SEGMENT_ELEMENT>(nameof(FILE_SEGMENT_ELEMENT.Alignment)));
            Assert.Equal(typeof(IntPtr), typeof(FILE_SEGMENT_ELEMENT).GetField("Buffer")!.FieldType);
            Assert.Equal(typeof(ulong), typeof(FILE_SEGMENT_ELEMENT).GetField("Alignment")!.FieldType);
            Assert.Equal(32, Marshal.SizeOf<NativeOverlapped>());
            Assert.Equal(48, Marshal.SizeOf<SYSTEM_INFO>());
            Assert.Equal(4, (int)Marshal.OffsetOf<SYSTEM_INFO>(nameof(SYSTEM_INFO.dwPageSize)));
            Assert.Equal(32, (int)Marshal.OffsetOf<SYSTEM_INFO>(nameof(SYSTEM_INFO.dwNumberOfProcessors)));
            Assert.Equal(46, (int)Marshal.OffsetOf<SYSTEM_INFO>(nameof(SYSTEM_INFO.wProcessorRevision)));
            Assert.Equal(32, Marshal.SizeOf<OVERLAPPED_ENTRY>());
            Assert.Equal(24, (int)Marshal.OffsetOf<OVERLAPPED_ENTRY>(nameof(OVERLAPPED_ENTRY.dwNumberOfBytesTransferred)));
            Assert.Equal(16, Marshal.SizeOf<SgioSegment>());
            Assert.Equal(16, Marshal.SizeOf<SgioOpenOptions>());
            Assert.Equal(16, Marshal.SizeOf<SgioQueueOptions>());
            Assert.Equal(48, Marshal.SizeOf<SgioRequest>());
            Assert.Equal(40, (int)Marshal.OffsetOf<SgioRequest>(nameof(SgioRequest.Reserved)));
            Assert.Equal(24, Marshal.SizeOf<SgioCompletion>());
        }

        [Fact]
        public void ConstantsAndStatusCodesComeFromTheHeaders()
        {
            Assert.Equal(0x40000000u, Win32.GENERIC_WRITE);
            Assert.Equal(0x20000000u, Win32.FILE_FLAG_NO_BUFFERING);
            Assert.Equal(997u, Win32.ERROR_IO_PENDING);
            Assert.Equal(new IntPtr(-1), Win32.INVALID_HANDLE_VALUE);
            Assert.Equal(-3, (int)SgioStatus.SGIO_EALIGN);
            Assert.Equal(-18, (int)SgioStatus.SGIO_EINTERNAL);
            Assert.Equal($"{SgioApi.SGIO_VERSION_MAJOR}.{SgioApi.SGIO_VERSION_MINOR}.{SgioApi.SGIO_VERSION_PATCH}", SgioLibrary.Version);
            Assert.Equal(typeof(SgioLibrary).Assembly.GetName().Version!.ToString(3), SgioLibrary.Version);
        }
    }
}
