/**
 * What an import's context means in a given environment: does the statement run when its module
 * is imported, and would an ImportError it raises escape to the importer?
 */
import type { Cond, Ctx } from "../parse/python/facts.js";

export interface TargetPython {
  version: readonly number[];
  platform: string;
  osName: string;
}

/**
 * - `top`: runs at import and nothing catches its failure (module level or class body).
 * - `caught`: runs, but a try/except or contextlib.suppress catches ImportError.
 * - `deferred`: inside a function: runs only when called.
 * - `type-checking`, `main`: never runs on import.
 * - `conditional`: under a condition snag cannot decide (or a loop/match case).
 * - `dead`: under a condition that is false for the target Python.
 */
export type GuardKind = "top" | "caught" | "deferred" | "type-checking" | "main" | "conditional" | "dead";

/** What `except` may name to catch a ModuleNotFoundError. (The simulator judges each real exception itself.) */
const IMPORT_ERROR_CATCHERS: ReadonlySet<string> = new Set(["ImportError", "ModuleNotFoundError", "Exception", "BaseException"]);

export function guardOf(context: readonly Ctx[], target: TargetPython): GuardKind {
  let conditional = false;
  let caught = false;
  for (const ctx of context) {
    switch (ctx.kind) {
      case "function":
        return "deferred";
      case "class":
        break;
      case "try": {
        // Only the first matching handler runs; what it raises is not caught by its siblings.
        const handler = ctx.handlers.find((h) => h.bare || h.catches.some((c) => IMPORT_ERROR_CATCHERS.has(c)));
        if (handler && handler.raises !== "always") caught = true;
        break;
      }
      case "suppress":
        if (ctx.catches.some((c) => IMPORT_ERROR_CATCHERS.has(c))) caught = true;
        break;
      case "if": {
        if (ctx.want && ctx.cond.k === "type-checking") return "type-checking";
        if (ctx.want && ctx.cond.k === "main") return "main";
        const v = evalCond(ctx.cond, target);
        if (v === undefined) conditional = true;
        else if (v !== ctx.want) return "dead";
        break;
      }
      case "loop":
      case "case":
      case "handler":
      case "try-else":
        conditional = true;
        break;
    }
  }
  return caught ? "caught" : conditional ? "conditional" : "top";
}

/** Three-valued: undefined when the condition depends on something snag does not know. */
export function evalCond(cond: Cond, t: TargetPython): boolean | undefined {
  switch (cond.k) {
    case "bool":
      return cond.v;
    case "type-checking":
    case "main":
      return false;
    case "not": {
      const v = evalCond(cond.x, t);
      return v === undefined ? undefined : !v;
    }
    case "and": {
      let unknown = false;
      for (const x of cond.xs) {
        const v = evalCond(x, t);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case "or": {
      let unknown = false;
      for (const x of cond.xs) {
        const v = evalCond(x, t);
        if (v === true) return true;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    case "platform":
      if (cond.op === "startswith") return t.platform.startsWith(cond.value);
      return (t.platform === cond.value) === (cond.op === "==");
    case "os-name":
      return (t.osName === cond.value) === (cond.op === "==");
    case "version":
      return compareVersion(cond, t.version);
    case "unknown":
      return undefined;
  }
}

function compareVersion(cond: Extract<Cond, { k: "version" }>, version: readonly number[]): boolean | undefined {
  if (cond.index !== undefined) {
    const v = version[cond.index];
    return v === undefined ? undefined : apply(cond.op, v - cond.version[0]!);
  }
  // sys.version_info is (major, minor, micro, releaselevel, serial); snag knows the numeric prefix.
  const subject = cond.width === undefined ? version : version.slice(0, cond.width);
  const subjectLength = cond.width ?? 5;
  for (let i = 0; i < cond.version.length; i++) {
    if (i >= subjectLength) return apply(cond.op, -1);
    const v = subject[i];
    if (v === undefined) return undefined;
    if (v !== cond.version[i]) return apply(cond.op, v - cond.version[i]!);
  }
  // Equal on the compared prefix: the longer tuple is the greater one.
  return apply(cond.op, subjectLength > cond.version.length ? 1 : 0);
}

function apply(op: string, diff: number): boolean {
  switch (op) {
    case "<":
      return diff < 0;
    case "<=":
      return diff <= 0;
    case ">":
      return diff > 0;
    case ">=":
      return diff >= 0;
    case "==":
      return diff === 0;
    default:
      return diff !== 0;
  }
}

/** Runs only under a condition snag cannot decide (an unevaluable `if`, a loop body, a match case). */
export function isConditional(context: readonly Ctx[], target: TargetPython): boolean {
  return context.some((c) => c.kind === "loop" || c.kind === "case" || c.kind === "handler" || c.kind === "try-else" || (c.kind === "if" && evalCond(c.cond, target) === undefined));
}
