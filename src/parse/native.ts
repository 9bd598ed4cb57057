/**
 * The native modules snag parses with (tree-sitter and its grammars) and resolves TypeScript with
 * (oxc-resolver), loaded when first asked for: loading them all cost a run 30 ms before it had
 * started, and most runs need only some of them (a Python repository whose modules are simple
 * enough never starts tree-sitter, see python/simple.ts).
 */
import { createRequire } from "node:module";
import type ParserType from "tree-sitter";
import type * as Oxc from "oxc-resolver";

const load = createRequire(import.meta.url);

export type Parser = ParserType;
export type SyntaxNode = ParserType.SyntaxNode;
export type Tree = ParserType.Tree;
export type Query = ParserType.Query;
export type QueryCapture = ParserType.QueryCapture;
export type Language = ParserType.Language;

let treeSitter: typeof ParserType | undefined;

/** The tree-sitter Parser class. */
export function parserClass(): typeof ParserType {
  return (treeSitter ??= load("tree-sitter") as typeof ParserType);
}

let python: Language | undefined;
export function pythonLanguage(): Language {
  return (python ??= load("tree-sitter-python") as Language);
}

let typescript: { typescript: Language; tsx: Language } | undefined;
export function typescriptLanguages(): { typescript: Language; tsx: Language } {
  return (typescript ??= load("tree-sitter-typescript") as { typescript: Language; tsx: Language });
}

let oxc: typeof Oxc | undefined;
export function oxcResolver(): typeof Oxc {
  return (oxc ??= load("oxc-resolver") as typeof Oxc);
}
