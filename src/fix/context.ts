/**
 * What fix generators read: the scan, the check result, and the repository's files as they were
 * when the scan read them (a file that changed since is not edited).
 */
import { existsSync, readFileSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import type { CheckResult } from "../analyze/check.js";
import type { Cause, Finding, TestVerdict } from "../analyze/model.js";
import type { PyFileFacts, PyImport } from "../parse/python/facts.js";
import type { Scan } from "../pipeline/scan.js";
import type Parser from "tree-sitter";
import { loadDocument, type Document } from "./document.js";
import { parsePython } from "./python-source.js";

/** Every statement that fails for the finding's reason. */
export function sitesOf(finding: Finding): { file: string; line: number; column: number }[] {
  return finding.sites && finding.sites.length > 0 ? finding.sites : [{ file: finding.file, line: finding.line, column: finding.column }];
}

export interface FixOptions {
  /** Bridge modules emit a DeprecationWarning naming the new location. */
  bridgeWarning?: boolean;
}

/** A module-level class, function or assignment. */
export interface Definition {
  module: string;
  file: string;
  line: number;
}

export class FixContext {
  private readonly docs = new Map<string, Document | string>();
  private readonly trees = new Map<string, Parser.Tree>();
  private symbols: Map<string, Definition[]> | undefined;

  constructor(
    readonly scan: Scan,
    readonly result: CheckResult,
    readonly options: FixOptions = {},
  ) {}

  get root(): string {
    return this.scan.discovery.root;
  }

  facts(file: string): PyFileFacts | undefined {
    return this.scan.facts.get(file);
  }

  exists(file: string): boolean {
    return existsSync(join(this.root, file));
  }

  /** The file for editing, or why it cannot be edited. */
  doc(file: string): Document | string {
    const cached = this.docs.get(file);
    if (cached !== undefined) return cached;
    let value: Document | string;
    try {
      const loaded = loadDocument(file, readFileSync(join(this.root, file)));
      const scanned = this.scan.hashes.get(file);
      if (!loaded.ok) value = loaded.reason;
      else if (scanned !== undefined && scanned !== loaded.doc.hash) value = `${file} changed since the scan`;
      else value = loaded.doc;
    } catch {
      value = `${file} cannot be read`;
    }
    this.docs.set(file, value);
    return value;
  }

  tree(doc: Document): Parser.Tree {
    let tree = this.trees.get(doc.file);
    if (!tree) {
      tree = parsePython(doc.text);
      this.trees.set(doc.file, tree);
    }
    return tree;
  }

  loadedDocs(): Map<string, Document> {
    const out = new Map<string, Document>();
    for (const [file, d] of this.docs) if (typeof d !== "string") out.set(file, d);
    return out;
  }

  /** The import fact at a statement position, and its index (for the resolver's answer). */
  importAt(file: string, line: number, column: number): { imp: PyImport; index: number } | undefined {
    const imports = this.facts(file)?.imports ?? [];
    let index = imports.findIndex((i) => i.line === line && i.column === column);
    if (index < 0) index = imports.findIndex((i) => i.line <= line && i.endLine >= line && i.kind !== "dynamic");
    return index < 0 ? undefined : { imp: imports[index]!, index };
  }

  absoluteOf(file: string, index: number): string | undefined {
    return this.scan.resolved.imports.get(file)?.[index]?.absolute;
  }

  /** The local module file imported under `name`, when it is one of the scanned files. */
  localFile(name: string): string | undefined {
    const found = this.scan.resolved.finder.find(name);
    if (!found.found || !found.location.file) return undefined;
    const abs = found.location.file;
    return abs.startsWith(`${this.root}/`) ? abs.slice(this.root.length + 1) : undefined;
  }

  isTestModule(file: string): boolean {
    return this.scan.resolved.tests.some((t) => t.file === file && t.kind === "test");
  }

  /** Test files that fail to collect at one of the finding's statements. */
  blockedTests(finding: Finding): TestVerdict[] {
    const at = (c: Cause) => c.rule === finding.rule && c.target === finding.target && sitesOf(finding).some((s) => s.file === c.file && s.line === c.line && s.column === c.column);
    return this.result.tests.filter((t) => t.kind === "test" && t.cause && at(t.cause));
  }

  /** Where `name` is defined at module level across the scanned, importable modules. */
  definitions(name: string): Definition[] {
    if (!this.symbols) {
      this.symbols = new Map();
      for (const mod of this.scan.resolved.modules) {
        if (!mod.rooted) continue;
        for (const b of this.facts(mod.file)?.bindings ?? []) {
          if ((b.kind !== "class" && b.kind !== "def" && b.kind !== "assign") || b.context.length > 0) continue;
          const list = this.symbols.get(b.name) ?? [];
          if (!list.some((d) => d.module === mod.name)) list.push({ module: mod.name, file: mod.file, line: b.line });
          this.symbols.set(b.name, list);
        }
      }
    }
    return this.symbols.get(name) ?? [];
  }

  rel(abs: string): string {
    return abs.startsWith(`${this.root}/`) ? abs.slice(this.root.length + 1) : abs;
  }
}
