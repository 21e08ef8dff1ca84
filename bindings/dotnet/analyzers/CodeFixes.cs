// SPDX-License-Identifier: Apache-2.0
// CodeFixes.cs - fixes for SGIO1001 (remove [Out]) and SGIO1002 (cast through nint instead of the
// 32-bit type: keeps integer arithmetic, as the original did, at full pointer width).
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sgio.Analyzers
{
    /// <summary>SGIO1001: remove the [Out] attribute.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveOutAttributeFix)), Shared]
    public sealed class RemoveOutAttributeFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.OutSegmentArray.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span) is not AttributeSyntax attribute || attribute.Parent is not AttributeListSyntax list)
                return;
            context.RegisterCodeFix(CodeAction.Create("Remove [Out]", ct => Task.FromResult(Remove(context.Document, root, list, attribute)),
                                                      equivalenceKey: "SGIO1001"), context.Diagnostics);
        }

        private static Document Remove(Document document, SyntaxNode root, AttributeListSyntax list, AttributeSyntax attribute)
        {
            SyntaxNode newRoot = list.Attributes.Count == 1
                ? root.RemoveNode(list, SyntaxRemoveOptions.KeepLeadingTrivia)!
                : root.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(attribute)));
            return document.WithSyntaxRoot(newRoot);
        }
    }

    /// <summary>SGIO1002: replace the 32-bit cast by a cast to nint.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WidenAddressCastFix)), Shared]
    public sealed class WidenAddressCastFix : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.TruncatedSegmentAddress.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            CastExpressionSyntax? cast = root?.FindNode(context.Span, getInnermostNodeForTie: true)
                                              .AncestorsAndSelf().OfType<CastExpressionSyntax>().FirstOrDefault();
            if (root == null || cast == null)
                return;
            context.RegisterCodeFix(CodeAction.Create("Cast through nint", ct => Task.FromResult(Widen(context.Document, root, cast)),
                                                      equivalenceKey: "SGIO1002"), context.Diagnostics);
        }

        private static Document Widen(Document document, SyntaxNode root, CastExpressionSyntax cast)
        {
            TypeSyntax nint = SyntaxFactory.IdentifierName("nint").WithTriviaFrom(cast.Type);
            return document.WithSyntaxRoot(root.ReplaceNode(cast, cast.WithType(nint)));
        }
    }
}
