/**
 * The resolve and graph stages, fed a file at a time while the parse is still going: they start
 * as soon as the interpreter has answered (sys.path, finders, distributions and module names need
 * nothing else), resolve each file's imports as its facts come in (from a parser or the cache, in
 * any order), and add each module's edges to the graph in file order, as soon as the modules
 * before it are in. On two cores this runs in the shadow of the parse instead of after it; the
 * output is the same as running the stages one after the other (resolveProject, buildGraph).
 */
import type { EnvMemo } from "../cache/env-memo.js";
import type { PytestSettings } from "../discover/pytest-config.js";
import { GraphBuilder, type ImportGraph } from "../graph/build.js";
import type { CycleInfo } from "../graph/cycles.js";
import type { TargetPython } from "../graph/guard.js";
import type { PyFileFacts } from "../parse/python/facts.js";
import type { PythonEnvironment } from "../resolve/interpreter.js";
import { startResolve, type ImportResolution, type Resolver, type ResolveOutput } from "../resolve/resolve.js";

export interface AsParsedInput {
  root: string;
  /** The Python files, in the scan's order. */
  files: readonly string[];
  pytest: PytestSettings;
  memo?: EnvMemo;
  /** Standard-library modules in the graph (graph/build.ts). */
  stdlib: boolean;
  /** More to do in the parse's shadow once the finders are ready. */
  onReady?: (resolver: Resolver) => void;
}

export class AsParsed {
  private resolver: Resolver | undefined;
  private builder: GraphBuilder | undefined;
  private target: TargetPython | undefined;
  /** Facts that came before the interpreter's answer. */
  private readonly early: [string, PyFileFacts][] = [];
  /** Resolved files waiting for the modules before them to be added to the graph. */
  private readonly waiting = new Map<string, { facts: PyFileFacts; resolutions: ImportResolution[] }>();
  private next = 0;
  private readonly ready: Promise<void>;

  constructor(env: Promise<PythonEnvironment>, input: AsParsedInput) {
    this.ready = env.then((e) => {
      this.resolver = startResolve({ root: input.root, files: input.files, env: e, pytest: input.pytest, ...(input.memo ? { memo: input.memo } : {}) });
      this.target = { version: e.version, platform: e.platform, osName: e.osName };
      this.builder = new GraphBuilder({ modules: this.resolver.modules, finder: this.resolver.finder, classify: this.resolver.classify, target: this.target, stdlib: input.stdlib });
      for (const [file, facts] of this.early.splice(0)) this.take(file, facts);
      input.onReady?.(this.resolver);
    });
    this.ready.catch(() => undefined); // surfaced by finish()
  }

  /** A Python file's facts, as soon as they are had. */
  add(file: string, facts: PyFileFacts): void {
    if (this.resolver) this.take(file, facts);
    else this.early.push([file, facts]);
  }

  private take(file: string, facts: PyFileFacts): void {
    const resolutions = this.resolver!.add(file, facts);
    if (!resolutions) return;
    this.waiting.set(file, { facts, resolutions });
    const modules = this.resolver!.modules;
    for (let got; this.next < modules.length && (got = this.waiting.get(modules[this.next]!.file)); this.next++) {
      this.waiting.delete(modules[this.next]!.file);
      this.builder!.add(modules[this.next]!, got.facts, got.resolutions);
    }
  }

  /** Once every file has been added (or could not be): both stages' output. */
  async finish(facts: ReadonlyMap<string, PyFileFacts>): Promise<{ resolved: ResolveOutput; graph: ImportGraph; target: TargetPython; cycles: CycleInfo }> {
    await this.ready;
    const resolved = this.resolver!.finish();
    const modules = resolved.modules;
    for (; this.next < modules.length; this.next++) {
      const mod = modules[this.next]!;
      this.builder!.add(mod, facts.get(mod.file), resolved.imports.get(mod.file) ?? []);
    }
    return { resolved, graph: this.builder!.graph, target: this.target!, cycles: this.builder!.runtime.cycles() };
  }
}
