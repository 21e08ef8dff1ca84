// SPDX-License-Identifier: Apache-2.0
// PortingAnalyzerTests.cs - SGIO1003 (SafeFileHandle from a kernel32 CreateFile) and SGIO1004
// (Win32Exception with the platform's message): where they fire, where not, and that the fixed code
// compiles against the real Sgio assembly (the test framework fails on any compiler error).
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Sgio.Analyzers.Tests
{
    public class SafeFileHandleReturnTests
    {
        private static DiagnosticResult Sgio1003(int markup, string method) =>
            new DiagnosticResult(Descriptors.SafeFileHandleFromCreateFile).WithLocation(markup).WithArguments(method);

        private const string Usings = @"using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
";

        [Fact]
        public Task CreateFileDeclarationsAreReported() => new AnalyzerTest<SafeFileHandleReturnAnalyzer>(Usings + @"
static partial class K
{
    [DllImport(""kernel32.dll"", SetLastError = true, CharSet = CharSet.Auto)]
    static extern {|#0:SafeFileHandle|} CreateFile(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    [DllImport(""KERNEL32"", EntryPoint = ""CreateFileW"", CharSet = CharSet.Unicode)]
    static extern {|#1:SafeFileHandle|} OpenIt(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    [LibraryImport(""kernel32.dll"", EntryPoint = ""CreateFileA"", StringMarshalling = StringMarshalling.Utf8)]
    private static partial {|#2:SafeFileHandle|} Open8(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    private static partial SafeFileHandle Open8(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template) => null!;
}", Sgio1003(0, "CreateFile"), Sgio1003(1, "OpenIt"), Sgio1003(2, "Open8")).RunAsync();

        [Fact]
        public Task OtherLibrariesFunctionsAndReturnTypesAreNotReported() => new AnalyzerTest<SafeFileHandleReturnAnalyzer>(Usings + @"
static class K
{
    [DllImport(""kernel32.dll"")]
    static extern IntPtr CreateFile(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    [DllImport(""kernel32.dll"")]
    static extern Sgio.Win32FileHandle CreateFileW(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    [DllImport(""mylib"")]
    static extern SafeFileHandle CreateFileA(string name);
    [DllImport(""kernel32.dll"")]
    static extern SafeFileHandle CreateNamedPipe(string name);
    static SafeFileHandle CreateFile(string name) => null!;
}").RunAsync();

        [Fact]
        public Task FixReturnsWin32FileHandle() => new FixTest<SafeFileHandleReturnAnalyzer, Win32FileHandleFix>(Usings + @"
static class K
{
    [DllImport(""kernel32.dll"", SetLastError = true, CharSet = CharSet.Auto)]
    static extern {|#0:SafeFileHandle|} CreateFile(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    static long Size(string path)
    {
        using var h = CreateFile(path, 0x80000000, 0, IntPtr.Zero, 3, 0, IntPtr.Zero);
        return h.IsInvalid ? -1 : 0;
    }
}", Usings + @"
static class K
{
    [DllImport(""kernel32.dll"", SetLastError = true, CharSet = CharSet.Auto)]
    static extern Sgio.Win32FileHandle CreateFile(string name, uint access, uint share, IntPtr sa, uint disposition, uint flags, IntPtr template);
    static long Size(string path)
    {
        using var h = CreateFile(path, 0x80000000, 0, IntPtr.Zero, 3, 0, IntPtr.Zero);
        return h.IsInvalid ? -1 : 0;
    }
}", Sgio1003(0, "CreateFile")).RunAsync();
    }

    public class Win32ExceptionTests
    {
        private static DiagnosticResult Sgio1004(int markup, string text) =>
            new DiagnosticResult(Descriptors.Win32ExceptionMessage).WithLocation(markup).WithArguments(text);

        private const string Usings = @"using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
";

        [Fact]
        public Task PlatformMessageConstructorsAreReported() => new AnalyzerTest<Win32ExceptionAnalyzer>(Usings + @"
class C
{
    Exception A(int code) => {|#0:new Win32Exception(code)|};
    Exception B() => {|#1:new Win32Exception()|};
    Exception C2(int code) => new Win32Exception(code, ""own text"");
    Exception D() => new Win32Exception(""own text"");
}", Sgio1004(0, "new Win32Exception(code)"), Sgio1004(1, "new Win32Exception()")).RunAsync();

        [Fact]
        public Task FixPassesSgioMessage() => new FixTest<Win32ExceptionAnalyzer, Win32MessageFix>(Usings + @"
class C
{
    Exception A(int code) => {|#0:new Win32Exception(code)|};
    Exception B() => {|#1:new Win32Exception(Marshal.GetLastWin32Error())|};
    Exception D() => {|#2:new Win32Exception()|};
}", Usings + @"
class C
{
    Exception A(int code) => new Win32Exception(code, Sgio.Win32Error.Message(code));
    Exception B() => new Win32Exception(Marshal.GetLastWin32Error(), Sgio.Win32Error.Message(Marshal.GetLastWin32Error()));
    Exception D() => new Win32Exception(Marshal.GetLastPInvokeError(), Sgio.Win32Error.Message(Marshal.GetLastPInvokeError()));
}", Sgio1004(0, "new Win32Exception(code)"), Sgio1004(1, "new Win32Exception(Marshal.GetLastWin32Error())"),
    Sgio1004(2, "new Win32Exception()")).RunAsync();

        [Fact]
        public Task FixThrowsWin32IOException()
        {
            var test = new FixTest<Win32ExceptionAnalyzer, Win32MessageFix>(Usings + @"
class C
{
    void A(int code) { throw {|#0:new Win32Exception(code + 0)|}; }
    void B() { throw {|#1:new Win32Exception()|}; }
}", Usings + @"
class C
{
    void A(int code) { throw new Sgio.Win32IOException(code + 0); }
    void B() { throw Sgio.Win32IOException.FromLastError(); }
}", Sgio1004(0, "new Win32Exception(code + 0)"), Sgio1004(1, "new Win32Exception()"));
            test.CodeActionEquivalenceKey = "SGIO1004.IOException";
            return test.RunAsync();
        }
    }
}
