// SPDX-License-Identifier: Apache-2.0
// AnalyzerTests.cs - SGIO1001 ([Out] FILE_SEGMENT_ELEMENT[] in a P/Invoke) and SGIO1002 (segment
// address cast through a 32-bit integer): what they report, what they leave alone, what the fixes do.
// Sources compile against the running .NET's own assemblies (no reference-pack download).
using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Sgio.Analyzers.Tests
{
    internal static class Setup
    {
        // The runtime's own assemblies as references: the tests need no NuGet download.
        public static readonly ImmutableArray<MetadataReference> Framework =
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) ||
                            Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .Append(MetadataReference.CreateFromFile(typeof(global::Sgio.Win32FileHandle).Assembly.Location))
                .ToImmutableArray();

        public static void Configure(SolutionState state)
        {
            state.ReferenceAssemblies = new ReferenceAssemblies("net10.0"); // nothing to download
            state.AdditionalReferences.AddRange(Framework);
        }

        // The seed's struct, as a ported program declares it.
        public const string Segment = @"
using System;
using System.Runtime.InteropServices;
using System.Threading;
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct FILE_SEGMENT_ELEMENT
{
    [FieldOffset(0)] public IntPtr Buffer;
    [FieldOffset(0)] public ulong Alignment;
}
";
    }

    public class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public AnalyzerTest(string source, params DiagnosticResult[] expected)
        {
            TestCode = source;
            ExpectedDiagnostics.AddRange(expected);
            Setup.Configure(TestState);
        }

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithAllowUnsafe(true);
    }

    public class FixTest<TAnalyzer, TFix> : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new() where TFix : CodeFixProvider, new()
    {
        public FixTest(string source, string fixedSource, params DiagnosticResult[] expected)
        {
            TestCode = source;
            FixedCode = fixedSource;
            ExpectedDiagnostics.AddRange(expected);
            Setup.Configure(TestState);
            Setup.Configure(FixedState);
        }

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithAllowUnsafe(true);
    }

    public class OutSegmentArrayTests
    {
        private static DiagnosticResult Sgio1001(int markup) =>
            new DiagnosticResult(Descriptors.OutSegmentArray).WithLocation(markup);

        [Fact]
        public Task SeedDeclarationIsReported() => new AnalyzerTest<OutSegmentArrayAnalyzer>(Setup.Segment + @"
static class K
{
    [DllImport(""kernel32.dll"", SetLastError=true)]
    static extern bool WriteFileGather(IntPtr hFile, [{|#0:Out|}] FILE_SEGMENT_ELEMENT []
       aSegmentArray, uint nNumberOfBytesToWrite, IntPtr lpReserved,
       [In] ref System.Threading.NativeOverlapped lpOverlapped);
    [DllImport(""kernel32"")]
    static extern bool ReadFileScatter(IntPtr h, [In, System.Runtime.InteropServices.OutAttribute] FILE_SEGMENT_ELEMENT[] s, uint n, IntPtr r, ref NativeOverlapped o);
}", Sgio1001(0).WithArguments("aSegmentArray", "WriteFileGather")).RunAsync();

        [Fact]
        public Task InOutPlainArraysAndNonInteropMethodsAreNotReported() => new AnalyzerTest<OutSegmentArrayAnalyzer>(Setup.Segment + @"
static class K
{
    [DllImport(""kernel32.dll"")]
    static extern bool WriteFileGather(IntPtr h, FILE_SEGMENT_ELEMENT[] s, uint n, IntPtr r, ref NativeOverlapped o);
    [DllImport(""kernel32.dll"")]
    static extern bool ReadFileScatter(IntPtr h, [In, Out] FILE_SEGMENT_ELEMENT[] s, uint n, IntPtr r, ref NativeOverlapped o);
    [DllImport(""kernel32.dll"")]
    static extern bool ReadFile(IntPtr h, [Out] byte[] buffer, uint n, out uint read, IntPtr o);
    static void Managed([Out] FILE_SEGMENT_ELEMENT[] s) { }
}").RunAsync();

        [Fact]
        public Task LibraryImportIsChecked() => new AnalyzerTest<OutSegmentArrayAnalyzer>(Setup.Segment + @"
static partial class K
{
    [LibraryImport(""kernel32.dll"")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool WriteFileGather(IntPtr h, [{|#0:Out|}] FILE_SEGMENT_ELEMENT[] s, uint n, IntPtr r, IntPtr o);
    private static partial bool WriteFileGather(IntPtr h, FILE_SEGMENT_ELEMENT[] s, uint n, IntPtr r, IntPtr o) => false;
}", Sgio1001(0).WithArguments("s", "WriteFileGather")).RunAsync();

        [Fact]
        public Task FixRemovesOut() => new FixTest<OutSegmentArrayAnalyzer, RemoveOutAttributeFix>(Setup.Segment + @"
static class K
{
    [DllImport(""kernel32.dll"")]
    static extern bool A(IntPtr h, [{|#0:Out|}] FILE_SEGMENT_ELEMENT[] s);
    [DllImport(""kernel32.dll"")]
    static extern bool B(IntPtr h, [{|#1:Out|}, MarshalAs(UnmanagedType.LPArray)] FILE_SEGMENT_ELEMENT[] s);
}", Setup.Segment + @"
static class K
{
    [DllImport(""kernel32.dll"")]
    static extern bool A(IntPtr h, FILE_SEGMENT_ELEMENT[] s);
    [DllImport(""kernel32.dll"")]
    static extern bool B(IntPtr h, [MarshalAs(UnmanagedType.LPArray)] FILE_SEGMENT_ELEMENT[] s);
}", Sgio1001(0).WithArguments("s", "A"), Sgio1001(1).WithArguments("s", "B")).RunAsync();
    }

    public class TruncatedSegmentAddressTests
    {
        private static DiagnosticResult Sgio1002(int markup) =>
            new DiagnosticResult(Descriptors.TruncatedSegmentAddress).WithLocation(markup);

        [Fact]
        public Task SeedLoopIsReported() => new AnalyzerTest<TruncatedSegmentAddressAnalyzer>(Setup.Segment + @"
unsafe class S
{
    int FPageSize = 4096;
    void Fill(IntPtr[] ABuffers, int ACount, int ASize)
    {
        int LPerBufferPageCount = ASize / FPageSize;
        FILE_SEGMENT_ELEMENT* LElements = stackalloc FILE_SEGMENT_ELEMENT[(ACount * LPerBufferPageCount) + 1];
        for (int LElementIndex = 0; LElementIndex < ACount; LElementIndex++)
          for (int LPageIndex = 0; LPageIndex < LPerBufferPageCount; LPageIndex++)
           LElements[(LElementIndex * LPerBufferPageCount) + LPageIndex].Buffer =
            (IntPtr)({|#0:(uint)ABuffers[LElementIndex]|} + (LPageIndex * FPageSize));
        LElements[(ACount * LPerBufferPageCount)].Buffer = IntPtr.Zero;
    }
}", Sgio1002(0).WithArguments("(uint)ABuffers[LElementIndex]", "uint", "Buffer")).RunAsync();

        [Fact]
        public Task InitializersPointersAndAlignmentAreReported() => new AnalyzerTest<TruncatedSegmentAddressAnalyzer>(Setup.Segment + @"
unsafe class S
{
    void Fill(byte* p, IntPtr ptr, long address)
    {
        var a = new FILE_SEGMENT_ELEMENT { Buffer = (IntPtr){|#0:(uint)p|} };
        var b = new FILE_SEGMENT_ELEMENT { Buffer = (IntPtr){|#1:(int)ptr|} };
        var c = new FILE_SEGMENT_ELEMENT { Alignment = {|#2:(uint)address|} };
    }
}", Sgio1002(0).WithArguments("(uint)p", "uint", "Buffer"),
    Sgio1002(1).WithArguments("(int)ptr", "int", "Buffer"),
    Sgio1002(2).WithArguments("(uint)address", "uint", "Alignment")).RunAsync();

        [Fact]
        public Task FullWidthCastsAndOtherStructsAreNotReported() => new AnalyzerTest<TruncatedSegmentAddressAnalyzer>(Setup.Segment + @"
struct Other { public IntPtr Buffer; }
unsafe class S
{
    void Fill(byte* p, IntPtr ptr, int pageIndex, uint small)
    {
        var a = new FILE_SEGMENT_ELEMENT { Buffer = (IntPtr)p };
        var b = new FILE_SEGMENT_ELEMENT { Buffer = (IntPtr)((long)ptr + pageIndex * 4096) };
        var c = new FILE_SEGMENT_ELEMENT { Buffer = ptr + pageIndex * 4096 };
        var d = new FILE_SEGMENT_ELEMENT { Alignment = small };     // widening: no address lost
        var e = new Other { Buffer = (IntPtr)(uint)p };              // not a segment
        uint pages = (uint)(ptr.ToInt64() >> 12);                   // not assigned to a segment
    }
}").RunAsync();

        [Fact]
        public Task FixCastsThroughNint() => new FixTest<TruncatedSegmentAddressAnalyzer, WidenAddressCastFix>(Setup.Segment + @"
unsafe class S
{
    void Fill(FILE_SEGMENT_ELEMENT* e, IntPtr[] b, byte* p, int i)
    {
        e[0].Buffer = (IntPtr)({|#0:(uint)b[0]|} + (i * 4096));
        e[1].Buffer = (IntPtr){|#1:(uint)p|};
    }
}", Setup.Segment + @"
unsafe class S
{
    void Fill(FILE_SEGMENT_ELEMENT* e, IntPtr[] b, byte* p, int i)
    {
        e[0].Buffer = (IntPtr)((nint)b[0] + (i * 4096));
        e[1].Buffer = (IntPtr)(nint)p;
    }
}", Sgio1002(0).WithArguments("(uint)b[0]", "uint", "Buffer"), Sgio1002(1).WithArguments("(uint)p", "uint", "Buffer")).RunAsync();
    }
}
