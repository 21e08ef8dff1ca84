// SPDX-License-Identifier: Apache-2.0
// PortingFixes.cs - fixes for SGIO1003 (return Sgio.Win32FileHandle) and SGIO1004 (Windows' message:
// Win32Exception(code, Sgio.Win32Error.Message(code)), or throw Sgio.Win32IOException).
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Sgio.Analyzers
{
    internal static class FixSyntax
    {
        /// <summary>A global::-qualified name the simplifier shortens where a using allows.</summary>
        internal static TypeSyntax Type(string fullName) =>
            SyntaxFactory.ParseTypeName("global::" + fullName).WithAdditionalAnnotations(Simplifier.Annotation);

        internal static ExpressionSyntax Expression(string text) => Simplifiable(SyntaxFactory.ParseExpression(text));

        /// <summary>Every name and member access in <paramref name="node"/> marked for the simplifier.</summary>
        internal static T Simplifiable<T>(T node) where T : SyntaxNode =>
            node.ReplaceNodes(node.DescendantNodesAndSelf().Where(n => n is NameSyntax or MemberAccessExpressionSyntax),
                              (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation));
    }

    /// <summary>SGIO1003: return Sgio.Win32FileHandle instead of SafeFileHandle.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(Win32FileHandleFix)), Shared]
    public sealed class Win32FileHandleFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.SafeFileHandleFromCreateFile.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not TypeSyntax type)
                return;
            context.RegisterCodeFix(CodeAction.Create("Return Sgio.Win32FileHandle (CloseHandle)", _ =>
                Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type,
                    FixSyntax.Type(SafeFileHandleReturnAnalyzer.Replacement).WithTriviaFrom(type)))), equivalenceKey: "SGIO1003"),
                context.Diagnostics);
        }
    }

    /// <summary>SGIO1004: give the exception Windows' message.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(Win32MessageFix)), Shared]
    public sealed class Win32MessageFix : CodeFixProvider
    {
        private const string LastError = "global::System.Runtime.InteropServices.Marshal.GetLastPInvokeError()";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.Win32ExceptionMessage.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true)
                    .AncestorsAndSelf().OfType<ObjectCreationExpressionSyntax>().FirstOrDefault() is not { } creation)
                return;
            ArgumentSyntax? code = creation.ArgumentList?.Arguments.FirstOrDefault();
            // Keeping the type: the code is written twice, so only for expressions that give the same
            // value again (a constant, a variable, a member, the last-error read with no call between).
            string? codeText = code == null ? LastError : Repeatable(code.Expression) ? code.Expression.ToString() : null;
            if (codeText != null)
            {
                context.RegisterCodeFix(CodeAction.Create("Pass Sgio.Win32Error.Message(code)", _ =>
                {
                    var args = FixSyntax.Simplifiable(
                        SyntaxFactory.ParseArgumentList($"({codeText}, global::Sgio.Win32Error.Message({codeText}))"));
                    return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(creation,
                        creation.WithArgumentList(args.WithTriviaFrom(creation.ArgumentList ?? args)))));
                }, equivalenceKey: "SGIO1004.Message"), context.Diagnostics);
            }
            // Throwing: the IOException with the code, HResult and Windows' message.
            if (creation.Parent is ThrowStatementSyntax or ThrowExpressionSyntax)
            {
                context.RegisterCodeFix(CodeAction.Create("Throw Sgio.Win32IOException", _ =>
                {
                    ExpressionSyntax replacement = code == null
                        ? FixSyntax.Expression("global::Sgio.Win32IOException.FromLastError()")
                        : SyntaxFactory.ObjectCreationExpression(FixSyntax.Type("Sgio.Win32IOException"))
                                       .WithArgumentList(creation.ArgumentList!)
                                       .WithNewKeyword(creation.NewKeyword);
                    return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(creation, replacement.WithTriviaFrom(creation))));
                }, equivalenceKey: "SGIO1004.IOException"), context.Diagnostics);
            }
        }

        private static bool Repeatable(ExpressionSyntax e) => e switch
        {
            LiteralExpressionSyntax or IdentifierNameSyntax => true,
            MemberAccessExpressionSyntax m => Repeatable(m.Expression),
            CastExpressionSyntax c => Repeatable(c.Expression),
            ParenthesizedExpressionSyntax p => Repeatable(p.Expression),
            InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } i =>
                i.Expression.ToString() is var name && (name.EndsWith("GetLastWin32Error") || name.EndsWith("GetLastPInvokeError")),
            _ => false,
        };
    }
}
