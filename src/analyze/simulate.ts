/**
 * Import simulation: run a module's import-time statements in order, the way CPython would, but
 * only symbolically. Imports follow sys.modules semantics (a loaded module is not run again; a
 * module still initialising is returned half-built; a failed one is removed), `from m import n`
 * checks what `m` binds at that moment, class statements are linearised, and strict markers are
 * checked where `pytest.mark.x` is evaluated. A failure carries the exception CPython would raise,
 * so each enclosing `except` clause is judged against the right exception class.
 */
import { evalCond, isConditional, type TargetPython } from "../graph/guard.js";
import type { Ctx, MarkerUse, PyClass, PyImport, PyNameRead, PyRaise } from "../parse/python/facts.js";
import type { Finder } from "../resolve/finder.js";
import { absoluteModule, type ResolvedModule } from "../resolve/resolve.js";
import type { Location } from "../resolve/finder.js";
import { ClassResolver, type LocalModule } from "./classes.js";
import type { Cause, ExceptionKind, Failure, Hop } from "./model.js";
import { exceptionAncestors, linearize } from "./mro.js";
import { raisesNameError, type NameWorld } from "./name-errors.js";
import { binds, runsAtImport, starExports, type NamespaceQuery } from "./namespace.js";

export interface MarkerPolicy {
  /** Inside a pytest session (markers are looked up in its config); a plain interpreter checks nothing. */
  session: boolean;
  strict: boolean;
  registered: ReadonlySet<string>;
}

export interface SimulatorInput {
  finder: Finder;
  classify: (loc: Location) => ResolvedModule;
  target: TargetPython;
  /** Local module for a found location (a scanned file with facts), else undefined. */
  localOf: (loc: Location) => LocalModule | undefined;
  markers: MarkerPolicy;
  /** Inside a pytest session with warnings as errors: the standard-library imports that raise. */
  importWarning?: (module: string) => { category: string; message: string } | undefined;
  /**
   * Modules whose import can reach an import cycle: their outcome depends on which module of the
   * cycle started first, so they are simulated afresh in every run instead of being memoised.
   */
  replayed: ReadonlySet<string>;
  /** Names some scanned module stores into builtins (`*`: unknown ones). */
  builtinWrites?: ReadonlySet<string>;
}

type Outcome = { ok: true; failedLines: ReadonlySet<number> } | { ok: false; failure: Failure };

type Status = { state: "loading"; line: number } | { state: "done"; failedLines: ReadonlySet<number> } | { state: "failed"; failure: Failure };

/** One interpreter: its sys.modules. A pytest session is one run; each module verdict uses a fresh one. */
export class Run {
  readonly status = new Map<string, Status>();
}

const EMPTY: ReadonlySet<number> = new Set();

export class Simulator {
  /** Outcomes that do not depend on which modules were half-initialised: valid in any run. */
  private readonly memo = new Map<string, Outcome>();
  private readonly classes: ClassResolver;
  private readonly starCache = new Map<string, ReadonlySet<string> | "any">();
  private readonly names: NameWorld;

  constructor(private readonly input: SimulatorInput) {
    this.classes = new ClassResolver({
      target: input.target,
      local: (name) => this.localByName(name),
      isModule: (name) => input.finder.find(name).found,
    });
    this.names = {
      target: input.target,
      builtinWrites: input.builtinWrites ?? new Set(),
      isModule: (name) => input.finder.find(name).found,
      local: (name) => this.localByName(name),
      starNames: (mod, index) => this.starNamesOf(mod, index),
    };
  }

  localByName(name: string): LocalModule | undefined {
    const found = this.input.finder.find(name);
    return found.found ? this.input.localOf(found.location) : undefined;
  }

  /** `import <name>` in `run`. */
  importModule(name: string, run: Run): Outcome {
    return this.importName(name, run);
  }

  private importName(name: string, run: Run): Outcome {
    const status = run.status.get(name);
    if (status?.state === "done") return { ok: true, failedLines: status.failedLines };
    // A module still initialising is handed out half-built (an import cycle).
    if (status?.state === "loading") return { ok: true, failedLines: EMPTY };
    const memo = this.memo.get(name);
    if (memo) {
      run.status.set(name, memo.ok ? { state: "done", failedLines: memo.failedLines } : { state: "failed", failure: memo.failure });
      return memo;
    }
    const dot = name.lastIndexOf(".");
    if (dot > 0) {
      const parent = this.importName(name.slice(0, dot), run);
      if (!parent.ok) return parent;
    }
    const found = this.input.finder.find(name);
    if (!found.found) {
      // An installed package may create submodules at run time (six.moves and other meta-path
      // importers): below a third-party parent, a missing submodule is not predicted.
      const parent = found.chain[found.chain.length - 1];
      if (parent && this.input.classify(parent).origin === "third-party") {
        run.status.set(name, { state: "done", failedLines: EMPTY });
        return { ok: true, failedLines: EMPTY };
      }
      // The importing statement turns this into a located cause (see `locate`).
      return { ok: false, failure: missingPlaceholder(found.missing, found.reason) };
    }
    const local = this.input.localOf(found.location);
    const warning = local ? undefined : this.input.importWarning?.(name);
    if (warning && this.input.classify(found.location).origin === "stdlib") {
      // The module is left out of sys.modules, so every later import warns (and fails) again.
      return { ok: false, failure: { cause: { rule: "warning-as-error", target: name, file: "", line: 0, column: 0, exception: warning.category, message: `${warning.category}: ${warning.message}` }, chain: [] } };
    }
    if (!local) {
      run.status.set(name, { state: "done", failedLines: EMPTY });
      return { ok: true, failedLines: EMPTY };
    }
    run.status.set(name, { state: "loading", line: 0 });
    const outcome = this.execModule(local, run);
    run.status.set(name, outcome.ok ? { state: "done", failedLines: outcome.failedLines } : { state: "failed", failure: outcome.failure });
    if (!this.input.replayed.has(name)) this.memo.set(name, outcome);
    return outcome;
  }

  private execModule(mod: LocalModule, run: Run): Outcome {
    const { facts } = mod;
    if (facts.syntaxError) {
      const e = facts.syntaxError;
      const cause: Cause = { rule: "syntax-error", target: mod.file, file: mod.file, line: e.line, column: e.column, exception: "SyntaxError", message: e.message.includes(":") ? e.message : `SyntaxError: ${e.message}` };
      return { ok: false, failure: { cause, chain: [{ module: mod.name, file: mod.file, line: e.line }] } };
    }
    type Event = { line: number; column: number } & (
      | { kind: "import"; imp: PyImport }
      | { kind: "class"; cls: PyClass }
      | { kind: "marker"; marker: MarkerUse }
      | { kind: "raise"; raise: PyRaise }
      | { kind: "name"; read: PyNameRead }
    );
    const events: Event[] = [
      ...facts.imports.map((imp) => ({ kind: "import" as const, imp, line: imp.line, column: imp.column })),
      ...facts.classes.map((cls) => ({ kind: "class" as const, cls, line: cls.line, column: cls.column })),
      ...facts.markers.map((marker) => ({ kind: "marker" as const, marker, line: marker.line, column: marker.column })),
      ...facts.raises.map((r) => ({ kind: "raise" as const, raise: r, line: r.line, column: r.column })),
      ...facts.unboundReads.map((read) => ({ kind: "name" as const, read, line: read.line, column: read.column })),
    ].sort((a, b) => a.line - b.line || raiseRank(a.kind) - raiseRank(b.kind) || a.column - b.column);
    const failedLines = new Set<number>();
    const status = run.status.get(mod.name) as Extract<Status, { state: "loading" }>;
    // Try bodies and suppress blocks left early: after a caught failure the rest of the block never runs.
    const left: Ctx[] = [];
    for (const ev of events) {
      const context =
        ev.kind === "import" ? ev.imp.context : ev.kind === "class" ? ev.cls.context : ev.kind === "marker" ? ev.marker.context : ev.kind === "raise" ? ev.raise.context : ev.read.context;
      if (!runsAtImport({ context }, this.input.target)) continue;
      if (context.some((c) => left.some((l) => sameBlock(l, c)))) continue;
      status.line = ev.line;
      const outcome =
        ev.kind === "import"
          ? this.execImport(mod, ev.imp, run)
          : ev.kind === "class"
            ? this.execClass(mod, ev.cls)
            : ev.kind === "marker"
              ? this.execMarker(mod, ev.marker)
              : ev.kind === "raise"
                ? this.execRaise(mod, ev.raise)
                : this.execName(mod, ev.read);
      if (outcome.ok) continue;
      const escaped = propagate(context, outcome.failure, mod, ev.line);
      // A failure under a condition snag cannot decide is not predicted (no false alarms).
      const conditional = isConditional(context, this.input.target);
      if ("caughtBy" in escaped || conditional) {
        if (ev.kind === "import") for (let l = ev.imp.line; l <= ev.imp.endLine; l++) failedLines.add(l);
        if ("caughtBy" in escaped && !conditional) left.push(escaped.caughtBy);
        continue;
      }
      return { ok: false, failure: { cause: escaped.failure.cause, chain: [{ module: mod.name, file: mod.file, line: escaped.line }, ...escaped.failure.chain] } };
    }
    return { ok: true, failedLines };
  }

  private execImport(mod: LocalModule, imp: PyImport, run: Run): Outcome {
    const spec = `${".".repeat(imp.level)}${imp.module}`;
    const abs = absoluteModule(imp, mod);
    if ("error" in abs) {
      const message =
        abs.error === "relative-no-parent" ? "ImportError: attempted relative import with no known parent package" : "ImportError: attempted relative import beyond top-level package";
      return { ok: false, failure: { cause: { rule: "missing-module", target: spec, exception: "ImportError", message, file: mod.file, line: imp.line, column: imp.column }, chain: [] } };
    }
    const skip = imp.via === "pytest.importorskip";
    const r = this.importName(abs.name, run);
    if (!r.ok) return this.locate(r.failure, mod, imp, skip);
    if (imp.kind !== "from") return r;
    for (const n of imp.names) {
      if (n.name === "*") continue;
      const got = this.fromName(abs.name, n.name, run);
      if (!got.ok) return got.failure.chain.length === 0 ? this.locate(got.failure, mod, imp, false, n) : got;
    }
    return { ok: true, failedLines: EMPTY };
  }

  /** `from <module> import <name>`, once `module` is imported. */
  private fromName(module: string, name: string, run: Run): Outcome {
    const status = run.status.get(module);
    const local = this.localByName(module);
    const submodule = `${module}.${name}`;
    const fail = (cause: Omit<Cause, "file" | "line" | "column">): Outcome => ({ ok: false, failure: { cause: { ...cause, file: "", line: 0, column: 0 }, chain: [] } });
    if (local) {
      const partialLine = status?.state === "loading" ? status.line : undefined;
      const q = this.namespace(local, status?.state === "done" ? status.failedLines : undefined);
      if (binds(q, name, partialLine)) return { ok: true, failedLines: EMPTY };
      if (this.input.finder.find(submodule).found) return this.importName(submodule, run);
      return partialLine !== undefined
        ? fail({
            rule: "import-cycle",
            target: name,
            module,
            exception: "ImportError",
            message: `ImportError: cannot import name '${name}' from partially initialized module '${module}' (most likely due to a circular import)`,
          })
        : fail({ rule: "missing-symbol", target: name, module, exception: "ImportError", message: `ImportError: cannot import name '${name}' from '${module}'` });
    }
    const found = this.input.finder.find(module);
    if (found.found && found.location.kind === "namespace") {
      // A namespace package has no attributes of its own: only submodules.
      if (this.input.finder.find(submodule).found) return this.importName(submodule, run);
      return fail({ rule: "missing-symbol", target: name, module, exception: "ImportError", message: `ImportError: cannot import name '${name}' from '${module}' (unknown location)` });
    }
    // Installed and standard-library modules are not read: their names are taken on trust.
    if (found.found && found.location.searchLocations && this.input.finder.find(submodule).found) return this.importName(submodule, run);
    return { ok: true, failedLines: EMPTY };
  }

  private namespace(mod: LocalModule, failedLines?: ReadonlySet<number>): NamespaceQuery {
    const q: NamespaceQuery = {
      facts: mod.facts,
      target: this.input.target,
      starNames: (i) => this.starNamesOf(mod, i),
    };
    if (failedLines) q.failedLines = failedLines;
    return q;
  }

  private starNamesOf(mod: LocalModule, index: number): ReadonlySet<string> | "any" | undefined {
    const imp = mod.facts.imports[index]!;
    const abs = absoluteModule(imp, mod);
    if ("error" in abs) return undefined;
    const cached = this.starCache.get(abs.name);
    if (cached) return cached;
    const found = this.input.finder.find(abs.name);
    if (!found.found) return undefined;
    const source = this.input.localOf(found.location);
    this.starCache.set(abs.name, new Set()); // cycles of star imports add nothing
    const names = source ? starExports(this.namespace(source)) : "any";
    this.starCache.set(abs.name, names);
    return names;
  }

  private execClass(mod: LocalModule, cls: PyClass): Outcome {
    const node = this.classes.classNode(mod, cls);
    if (!node) return { ok: true, failedLines: EMPTY };
    const lin = linearize(node);
    if (lin.ok) return { ok: true, failedLines: EMPTY };
    const bases = cls.bases.map((b) => b.text).join(", ");
    const message =
      lin.reason === "duplicate-base"
        ? `TypeError: duplicate base class ${lin.bases[0]!.split(".").pop()}`
        : `TypeError: Cannot create a consistent method resolution order (MRO) for bases ${bases}`;
    const cause: Cause = { rule: "mro-conflict", target: cls.qualname, file: mod.file, line: cls.line, column: cls.column, exception: "TypeError", message };
    return { ok: false, failure: { cause, chain: [] } };
  }

  private execRaise(mod: LocalModule, r: PyRaise): Outcome {
    let exception: string;
    let message: string;
    if (r.kind === "assert") {
      if (!r.cond || evalCond(r.cond, this.input.target) !== false) return { ok: true, failedLines: EMPTY };
      exception = "AssertionError";
      message = "AssertionError (a module-level assert is false for the target Python)";
    } else {
      exception = r.exception ?? "RuntimeError";
      message = r.exception ? `${exception}: ${r.message ?? ""}`.trim() : "RuntimeError: No active exception to reraise";
    }
    const cause: Cause = { rule: "import-time-error", target: mod.name, file: mod.file, line: r.line, column: r.column, exception, message };
    return { ok: false, failure: { cause, chain: [] } };
  }

  private execName(mod: LocalModule, read: PyNameRead): Outcome {
    if (!raisesNameError(read, mod, this.names)) return { ok: true, failedLines: EMPTY };
    const cause: Cause = {
      rule: "undefined-name",
      target: read.name,
      file: mod.file,
      line: read.line,
      column: read.column,
      exception: "NameError",
      message: `NameError: name '${read.name}' is not defined`,
    };
    return { ok: false, failure: { cause, chain: [] } };
  }

  private execMarker(mod: LocalModule, marker: MarkerUse): Outcome {
    const { name } = marker;
    if (!this.input.markers.session) return { ok: true, failedLines: EMPTY };
    const typo = ["parameterize", "parametrise", "parameterise"].includes(name);
    if (!typo && (!this.input.markers.strict || this.input.markers.registered.has(name))) return { ok: true, failedLines: EMPTY };
    const message = typo ? `Failed: Unknown '${name}' mark, did you mean 'parametrize'?` : `Failed: '${name}' not found in \`markers\` configuration option`;
    const cause: Cause = { rule: "unknown-marker", target: name, file: mod.file, line: marker.line, column: marker.column, exception: "Failed", message };
    return { ok: false, failure: { cause, chain: [] } };
  }

  /** Give a failure that has no statement yet (a missing module or name) the importing statement. */
  private locate(failure: Failure, mod: LocalModule, imp: PyImport, skip: boolean, name?: { line: number; column: number }): Outcome {
    if (failure.chain.length > 0 || failure.cause.file !== "") return { ok: false, failure };
    const at = name ?? imp;
    let cause: Cause = { ...failure.cause, file: mod.file, line: at.line, column: at.column };
    if (skip && cause.rule === "missing-module") {
      cause = { ...cause, exception: "Skipped", message: `Skipped: could not import '${cause.target}': No module named '${cause.target}'` };
    }
    return { ok: false, failure: { cause, chain: [] } };
  }
}

/**
 * Carry a failure out through the enclosing try/except and suppress blocks, innermost first. Only
 * the first handler that matches runs; one that raises turns the failure into its own exception,
 * raised at its own line. Says which block caught it, if one did.
 */
function propagate(context: readonly Ctx[], failure: Failure, mod: LocalModule, line: number): { failure: Failure; line: number } | { caughtBy: Ctx } {
  let current = failure;
  let at = line;
  for (let i = context.length - 1; i >= 0; i--) {
    const ctx = context[i]!;
    const catchable = new Set(exceptionAncestors(current.cause.exception));
    if (ctx.kind === "suppress") {
      if (ctx.catches.some((c) => catchable.has(c))) return { caughtBy: ctx };
    } else if (ctx.kind === "try") {
      const handler = ctx.handlers.find((h) => h.bare || h.catches.some((c) => catchable.has(c)));
      if (!handler) continue;
      if (handler.raises !== "always") return { caughtBy: ctx };
      const raised = handler.raise;
      if (raised?.exception) {
        const cause: Cause = {
          ...current.cause,
          exception: raised.exception,
          file: mod.file,
          line: raised.line,
          column: raised.column,
          message: `${raised.exception} raised while handling ${current.cause.message}`,
        };
        current = { cause, chain: [] };
        at = raised.line;
      }
    }
  }
  return { failure: current, line: at };
}

/** A `raise` comes last on its line: the names its statement reads run first (`raise Undefined(...)` is a NameError). */
function raiseRank(kind: string): number {
  return kind === "raise" ? 1 : 0;
}

/** The same try body or suppress block (each statement's facts carry their own copy of the context). */
function sameBlock(a: Ctx, b: Ctx): boolean {
  return a.kind === b.kind && (a.kind === "try" || a.kind === "suppress") && a.line === b.line;
}

function missingPlaceholder(missing: string, reason: string): Failure {
  const message =
    reason === "not-a-package"
      ? `ModuleNotFoundError: No module named '${missing}'; '${missing.slice(0, missing.lastIndexOf("."))}' is not a package`
      : `ModuleNotFoundError: No module named '${missing}'`;
  return { cause: { rule: "missing-module", target: missing, file: "", line: 0, column: 0, exception: "ModuleNotFoundError", message }, chain: [] };
}
