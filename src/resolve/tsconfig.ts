/**
 * What snag reads of a repository's tsconfig.json / jsconfig.json files: the nearest one above a
 * file, merged along its relative `extends` (a child's option replaces its parent's, as tsc does).
 * One reader per scan, so each file is read once and a later scan sees edits.
 */
import { existsSync, readFileSync } from "../cache/observed-fs.js";
import { dirname, join } from "node:path";

export interface CompilerOptions {
  types?: string[];
  checkJs?: boolean;
  module?: string;
  moduleResolution?: string;
  /** The `paths` patterns (`@app/*`), in the order written. */
  paths?: string[];
}

/** Whether tsc resolves like Node's ESM here: `moduleResolution` node16/nodenext, or implied by `module`. */
export function nodeEsmResolution(options: CompilerOptions): boolean {
  const r = (options.moduleResolution ?? "").toLowerCase();
  if (r) return r === "node16" || r === "nodenext";
  return /^node(16|18|20|next)$/i.test(options.module ?? "");
}

/** Deeper `extends` chains than this are taken to loop. */
const MAX_EXTENDS = 8;

export class ProjectConfigs {
  private readonly read = new Map<string, CompilerOptions | null>();
  private readonly nearestByDir = new Map<string, string | null>();

  constructor(private readonly root: string) {}

  /** The nearest tsconfig.json/jsconfig.json between a file and the root, by absolute path. */
  nearest(file: string): string | undefined {
    const dir = dirname(file);
    let hit = this.nearestByDir.get(dir);
    if (hit === undefined) {
      hit = null;
      if (dir.startsWith(this.root)) for (const name of ["tsconfig.json", "jsconfig.json"]) if (existsSync(join(dir, name))) hit ??= join(dir, name);
      if (hit === null && dir !== this.root && dir.startsWith(this.root) && dirname(dir) !== dir) hit = this.nearest(dir) ?? null;
      this.nearestByDir.set(dir, hit);
    }
    return hit ?? undefined;
  }

  /** The compiler options in force for a file (none when no tsconfig covers it). */
  optionsOf(file: string): CompilerOptions {
    const config = this.nearest(file);
    return config ? (this.options(config, 0) ?? {}) : {};
  }

  /** The tsconfig `paths` pattern in force for the file that this specifier matches. */
  pathsAliasFor(file: string, specifier: string): string | undefined {
    return this.optionsOf(file).paths?.find((p) => (p.includes("*") ? specifier.startsWith(p.slice(0, p.indexOf("*"))) : p === specifier));
  }

  private options(file: string, depth: number): CompilerOptions | null {
    const memo = this.read.get(file);
    if (memo !== undefined) return memo;
    let out: CompilerOptions | null = null;
    if (depth <= MAX_EXTENDS) {
      try {
        const config = JSON.parse(stripJsonComments(readFileSync(file, "utf8"))) as { extends?: string | string[]; compilerOptions?: Record<string, unknown> };
        out = {};
        // Only relative `extends` are followed: a package's base config is not the repository's to read.
        const parents = (Array.isArray(config.extends) ? config.extends : config.extends ? [config.extends] : []).filter((e) => e.startsWith("."));
        for (const p of parents) Object.assign(out, this.options(join(dirname(file), p.endsWith(".json") ? p : `${p}.json`), depth + 1) ?? {});
        const own = config.compilerOptions ?? {};
        if (Array.isArray(own.types)) out.types = own.types.filter((t): t is string => typeof t === "string");
        if (typeof own.checkJs === "boolean") out.checkJs = own.checkJs;
        if (typeof own.module === "string") out.module = own.module;
        if (typeof own.moduleResolution === "string") out.moduleResolution = own.moduleResolution;
        if (own.paths && typeof own.paths === "object") out.paths = Object.keys(own.paths);
      } catch {
        out = null;
      }
    }
    this.read.set(file, out);
    return out;
  }
}

/** tsconfig is JSON with comments and trailing commas. */
function stripJsonComments(text: string): string {

  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
