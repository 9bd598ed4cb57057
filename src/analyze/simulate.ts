/**
 * Import simulation: run a module's import-time statements in order, the way CPython would, but
 * only symbolically. Imports follow sys.modules semantics (a loaded module is not run again; a
 * module still initialising is returned half-built; a failed one is removed), `from m import n`
 * checks what `m` binds at that moment, class statements are linearised, and strict markers are
 * checked where `pytest.mark.x` is evaluated. A failure carries the exception CPython would raise,
 * so each enclosing `except` clause is judged against the right exception class.
 */
import { evalCond, isConditional, type TargetPython } from "../graph/guard.js";
import type { Ctx, MarkerUse, PyClass, PyFileFacts, PyImport, PyNameRead, PyRaise } from "../parse/python/facts.js";
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

/**
 * One interpreter: its sys.modules. A pytest session is one run; each module verdict uses a fresh
 * one. A run may start from a frozen earlier state (`base`, never written to): the state a fresh
 * interpreter is in after importing a package, which every import of one of its submodules
 * begins with.
 */
export class Run {
  private readonly own = new Map<string, Status>();

  constructor(private readonly base?: Run) {}

  get(name: string): Status | undefined {
    return this.own.get(name) ?? this.base?.get(name);
  }

  set(name: string, status: Status): void {
    this.own.set(name, status);
  }
}

/** A statement the simulator runs, in source order, with whether it runs at import for the target. */
type Event = { line: number; column: number; context: readonly Ctx[]; runs: boolean } & (
  | { kind: "import"; fact: PyImport }
  | { kind: "class"; fact: PyClass }
  | { kind: "marker"; fact: MarkerUse }
  | { kind: "raise"; fact: PyRaise }
  | { kind: "name"; fact: PyNameRead }
);

const EMPTY: ReadonlySet<number> = new Set();
/** Success with nothing caught on the way: shared, since outcomes are never changed. */
const OK: Outcome = { ok: true, failedLines: EMPTY };
/** The outcome of importing a module that is already in sys.modules: OK unless its import caught a failure. */
const doneOutcome = (failedLines: ReadonlySet<number>): Outcome => (failedLines.size === 0 ? OK : { ok: true, failedLines });

export class Simulator {
  /** Outcomes that do not depend on which modules were half-initialised: valid in any run. */
  private readonly memo = new Map<string, Outcome>();
  private readonly classes: ClassResolver;
  private readonly starCache = new Map<string, ReadonlySet<string> | "any">();
  private readonly names: NameWorld;
  /** Absolute module of each relative import, per importer name (a file may be imported under two names). */
  private readonly absolute = new WeakMap<PyImport, { importer: string; result: ReturnType<typeof absoluteModule> }>();
  /** Outcome of each class statement, per importer name (its bases are resolved through facts only, so it never changes). */
  private readonly classOutcomes = new WeakMap<PyClass, { importer: string; outcome: Outcome }>();
  /** Each local module's namespace query when no import of it failed. */
  private readonly namespaces = new WeakMap<LocalModule, NamespaceQuery>();
  /** The state after `import <package>` in a fresh interpreter, and how it went. */
  private readonly fresh = new Map<string, { run: Run; outcome: Outcome }>();

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

  /** `importlib.import_module(name)` in `run`: how pytest imports test modules and conftests. */
  importModule(name: string, run: Run): Outcome {
    return this.importName(name, run, false);
  }

  /**
   * `import <name>` in a fresh interpreter. CPython imports the parent package first, so every
   * submodule's run begins in the state the parent's own fresh import left: that state is
   * computed once per package and shared (a package whose `__init__` imports its submodules is
   * an import cycle with each of them, so their outcomes cannot simply be memoised).
   */
  importFresh(name: string): Outcome {
    return this.freshRun(name, false).outcome;
  }

  private freshRun(name: string, keep: boolean): { run: Run; outcome: Outcome } {
    const known = this.fresh.get(name);
    if (known) return known;
    const dot = name.lastIndexOf(".");
    let run: Run;
    if (dot > 0) {
      const parent = this.freshRun(name.slice(0, dot), true);
      // CPython stops at the parent that fails.
      if (!parent.outcome.ok) return parent;
      run = new Run(parent.run);
    } else run = new Run();
    const result = { run, outcome: this.importName(name, run, false) };
    if (keep) this.fresh.set(name, result);
    return result;
  }

  /**
   * `builtins.__import__(name)` with no fromlist, as an `import a.b.c` statement runs it: the
   * module, then its top-level package, which the statement binds. The second step matters only
   * when a failed import took `a` out of sys.modules and left `a.b.c` in: then `a/__init__.py`
   * runs again.
   */
  private importBuiltin(name: string, run: Run): Outcome {
    const r = this.importName(name, run, true);
    const dot = name.indexOf(".");
    if (!r.ok || dot < 0) return r;
    const top = this.importName(name.slice(0, dot), run, true);
    return top.ok ? r : top;
  }

  /**
   * importlib's `_find_and_load`: a module in sys.modules is returned as it is; otherwise its
   * parent is imported first if it is not in sys.modules, through `__import__` when an import
   * statement started this (`builtin`) and through `importlib.import_module` when importlib did.
   */
  private importName(name: string, run: Run, builtin: boolean): Outcome {
    const status = run.get(name);
    if (status?.state === "done") return doneOutcome(status.failedLines);
    // A module still initialising is handed out half-built (an import cycle).
    if (status?.state === "loading") return OK;
    const memo = this.memo.get(name);
    if (memo) {
      run.set(name, memo.ok ? { state: "done", failedLines: memo.failedLines } : { state: "failed", failure: memo.failure });
      return memo;
    }
    const dot = name.lastIndexOf(".");
    if (dot > 0) {
      const parentName = name.slice(0, dot);
      const parentStatus = run.get(parentName)?.state;
      if (parentStatus !== "done" && parentStatus !== "loading") {
        const parent = builtin ? this.importBuiltin(parentName, run) : this.importName(parentName, run, false);
        if (!parent.ok) return parent;
        // The parent's __init__ may have imported this module itself.
        const now = run.get(name);
        if (now?.state === "done") return doneOutcome(now.failedLines);
        if (now?.state === "loading") return OK;
      }
    }
    const found = this.input.finder.find(name);
    if (!found.found) {
      // An installed package may create submodules at run time (six.moves and other meta-path
      // importers): below a third-party parent, a missing submodule is not predicted.
      const parent = found.chain[found.chain.length - 1];
      if (parent && this.input.classify(parent).origin === "third-party") {
        run.set(name, { state: "done", failedLines: EMPTY });
        return OK;
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
      run.set(name, { state: "done", failedLines: EMPTY });
      return OK;
    }
    run.set(name, { state: "loading", line: 0 });
    const outcome = this.execModule(local, run);
    run.set(name, outcome.ok ? { state: "done", failedLines: outcome.failedLines } : { state: "failed", failure: outcome.failure });
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
    const events = this.eventsOf(facts);
    // Made when a failure is first caught: most modules catch none.
    let failedLines: Set<number> | undefined;
    const status = run.get(mod.name) as Extract<Status, { state: "loading" }>;
    // Try bodies and suppress blocks left early: after a caught failure the rest of the block never runs.
    let left: Ctx[] | undefined;
    for (const ev of events) {
      if (!ev.runs) continue;
      const context = ev.context;
      if (left && context.some((c) => left!.some((l) => sameBlock(l, c)))) continue;
      status.line = ev.line;
      const outcome =
        ev.kind === "import"
          ? this.execImport(mod, ev.fact, run)
          : ev.kind === "class"
            ? this.execClass(mod, ev.fact)
            : ev.kind === "marker"
              ? this.execMarker(mod, ev.fact)
              : ev.kind === "raise"
                ? this.execRaise(mod, ev.fact)
                : this.execName(mod, ev.fact);
      if (outcome.ok) continue;
      const escaped = propagate(context, outcome.failure, mod, ev.line);
      // A failure under a condition snag cannot decide is not predicted (no false alarms).
      const conditional = isConditional(context, this.input.target);
      if ("caughtBy" in escaped || conditional) {
        if (ev.kind === "import") for (let l = ev.fact.line; l <= ev.fact.endLine; l++) (failedLines ??= new Set()).add(l);
        if ("caughtBy" in escaped && !conditional) (left ??= []).push(escaped.caughtBy);
        continue;
      }
      return { ok: false, failure: { cause: escaped.failure.cause, chain: [{ module: mod.name, file: mod.file, line: escaped.line }, ...escaped.failure.chain] } };
    }
    return failedLines ? { ok: true, failedLines } : OK;
  }

  private eventsOf(facts: PyFileFacts): Event[] {
    return eventsOf(facts, this.input.target);
  }

  private absoluteOf(imp: PyImport, mod: LocalModule): ReturnType<typeof absoluteModule> {
    if (imp.level === 0) return { name: imp.module };
    const known = this.absolute.get(imp);
    if (known && known.importer === mod.name) return known.result;
    const result = absoluteModule(imp, mod);
    this.absolute.set(imp, { importer: mod.name, result });
    return result;
  }

  private execImport(mod: LocalModule, imp: PyImport, run: Run): Outcome {
    const abs = this.absoluteOf(imp, mod);
    if ("error" in abs) {
      const spec = `${".".repeat(imp.level)}${imp.module}`;
      const message =
        abs.error === "relative-no-parent" ? "ImportError: attempted relative import with no known parent package" : "ImportError: attempted relative import beyond top-level package";
      return { ok: false, failure: { cause: { rule: "missing-module", target: spec, exception: "ImportError", message, file: mod.file, line: imp.line, column: imp.column }, chain: [] } };
    }
    const skip = imp.via === "pytest.importorskip";
    // `import a.b` (and `__import__`, which importorskip calls) binds the top-level package, so it
    // imports that too; `from a.b import c` and `importlib.import_module` do not.
    const r =
      imp.kind === "from" || imp.kind === "future"
        ? this.importName(abs.name, run, true)
        : imp.via === "importlib.import_module"
          ? this.importName(abs.name, run, false)
          : this.importBuiltin(abs.name, run);
    if (!r.ok) return this.locate(r.failure, mod, imp, skip);
    if (imp.kind !== "from") return r;
    for (const n of imp.names) {
      if (n.name === "*") continue;
      const got = this.fromName(abs.name, n.name, run);
      if (!got.ok) return got.failure.chain.length === 0 ? this.locate(got.failure, mod, imp, false, n) : got;
    }
    return OK;
  }

  /** `from <module> import <name>`, once `module` is imported. */
  private fromName(module: string, name: string, run: Run): Outcome {
    const status = run.get(module);
    const local = this.localByName(module);
    const submodule = `${module}.${name}`;
    if (local) {
      const partialLine = status?.state === "loading" ? status.line : undefined;
      const q = this.namespace(local, status?.state === "done" ? status.failedLines : undefined);
      if (binds(q, name, partialLine)) return OK;
      if (this.input.finder.find(submodule).found) return this.importBuiltin(submodule, run);
      return partialLine !== undefined
        ? unlocated({
            rule: "import-cycle",
            target: name,
            module,
            exception: "ImportError",
            message: `ImportError: cannot import name '${name}' from partially initialized module '${module}' (most likely due to a circular import)`,
          })
        : unlocated({ rule: "missing-symbol", target: name, module, exception: "ImportError", message: `ImportError: cannot import name '${name}' from '${module}'` });
    }
    const found = this.input.finder.find(module);
    if (found.found && found.location.kind === "namespace") {
      // A namespace package has no attributes of its own: only submodules.
      if (this.input.finder.find(submodule).found) return this.importBuiltin(submodule, run);
      return unlocated({ rule: "missing-symbol", target: name, module, exception: "ImportError", message: `ImportError: cannot import name '${name}' from '${module}' (unknown location)` });
    }
    // Installed and standard-library modules are not read: their names are taken on trust.
    if (found.found && found.location.searchLocations && this.input.finder.find(submodule).found) return this.importBuiltin(submodule, run);
    return OK;
  }

  private namespace(mod: LocalModule, failedLines?: ReadonlySet<number>): NamespaceQuery {
    // Nearly always nothing failed: one query per module then.
    if (!failedLines || failedLines.size === 0) {
      let q = this.namespaces.get(mod);
      if (!q) {
        q = { facts: mod.facts, target: this.input.target, starNames: (i) => this.starNamesOf(mod, i) };
        this.namespaces.set(mod, q);
      }
      return q;
    }
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
    const abs = this.absoluteOf(imp, mod);
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
    // No bases: its MRO is itself and object (most classes).
    if (cls.bases.length === 0) return OK;
    const known = this.classOutcomes.get(cls);
    if (known && known.importer === mod.name) return known.outcome;
    const outcome = this.classOutcome(mod, cls);
    this.classOutcomes.set(cls, { importer: mod.name, outcome });
    return outcome;
  }

  private classOutcome(mod: LocalModule, cls: PyClass): Outcome {
    const node = this.classes.classNode(mod, cls);
    if (!node) return OK;
    const lin = linearize(node);
    if (lin.ok) return OK;
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
      if (!r.cond || evalCond(r.cond, this.input.target) !== false) return OK;
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
    if (!raisesNameError(read, mod, this.names)) return OK;
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
    if (!this.input.markers.session) return OK;
    const typo = ["parameterize", "parametrise", "parameterise"].includes(name);
    if (!typo && (!this.input.markers.strict || this.input.markers.registered.has(name))) return OK;
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

/** Each file's statements in execution order: they depend only on its facts and the target, so every simulator shares them. */
const eventLists = new WeakMap<PyFileFacts, { target: TargetPython; events: Event[] }>();

/** A file's statements in the order they run: by line, a `raise` after the rest of its line, then by column. */
function eventsOf(facts: PyFileFacts, target: TargetPython): Event[] {
  const known = eventLists.get(facts);
  if (known && known.target === target) return known.events;
  const events: Event[] = [];
  // One object shape for every kind keeps the loop over them monomorphic.
  const add = (kind: Event["kind"], fact: Event["fact"]): void => {
    events.push({ kind, fact, line: fact.line, column: fact.column, context: fact.context, runs: runsAtImport(fact, target) } as Event);
  };
  for (const imp of facts.imports) add("import", imp);
  for (const cls of facts.classes) add("class", cls);
  for (const marker of facts.markers) add("marker", marker);
  for (const r of facts.raises) add("raise", r);
  for (const read of facts.unboundReads) add("name", read);
  // Most files hold imports and classes only, already in order: sorting them is the most of this.
  if (!inOrder(events)) events.sort(compareEvents);
  eventLists.set(facts, { target, events });
  return events;
}

function compareEvents(a: Event, b: Event): number {
  return a.line - b.line || raiseRank(a.kind) - raiseRank(b.kind) || a.column - b.column;
}

function inOrder(events: readonly Event[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) return false;
  return true;
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

/** A failure whose statement the importing module gives it (see `locate`). */
function unlocated(cause: Omit<Cause, "file" | "line" | "column">): Outcome {
  return { ok: false, failure: { cause: { ...cause, file: "", line: 0, column: 0 }, chain: [] } };
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
