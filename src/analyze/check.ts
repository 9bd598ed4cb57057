/**
 * The analyze stage: from a scan to verdicts and findings.
 *
 * - Test files: one simulated pytest session (conftests first, then test modules in collection
 *   order, sharing sys.modules), with conftest failures taking down the tests below them and
 *   same-named test modules colliding.
 * - Modules: each local module imported in a fresh simulated interpreter.
 * - Findings: one per root cause, with its blast radius, plus the warning rules.
 */
import { checkScripts } from "./scripts/check.js";
import { readFileSync } from "../cache/observed-fs.js";
import { dirname, join, sep } from "node:path";
import { iniAddoptsStrictFlagsWork, strictMarkersFor } from "../discover/pytest-config.js";
import { findCycles } from "../graph/cycles.js";
import { compareStrings } from "../model/diagnostic.js";
import type { Scan } from "../pipeline/scan.js";
import { normalizeDistName } from "../resolve/distributions.js";
import type { Location } from "../resolve/finder.js";
import { HEAVY_INSTALLED_BYTES, HEAVY_PACKAGES } from "../rules/heavy-import.js";
import { ruleMeta } from "../rules/index.js";
import type { LocalModule } from "./classes.js";
import { Explainer, importNameOf } from "./explain.js";
import { causeKey, rootCauseKey, type Cause, type Finding, type Hop, type ModuleVerdict, type Severity, type TestVerdict } from "./model.js";
import { builtinWritesOf } from "./name-errors.js";
import { Run, Simulator } from "./simulate.js";
import { countReachingStarts } from "../graph/reach.js";
import { preflightSession, type SessionVerdict } from "./session/index.js";
import { distributionForMarker } from "./session/known-plugins.js";
import { isSuppressed } from "./suppress.js";

export interface CheckResult {
  modules: ModuleVerdict[];
  tests: TestVerdict[];
  findings: Finding[];
  /** Findings hidden by `# snag: ignore[...]` comments. */
  suppressed: number;
  /** Findings left out because the baseline already knows them (`--baseline`). */
  baselined?: number;
  /** Whether the pytest session gets going at all, and what stops it. */
  session: SessionVerdict;
}

const TEST_RUNNER = new Set(["pytest", "_pytest", "pluggy"]);

/** Markers pytest itself registers in pytest_configure. */
const PYTEST_MARKERS = ["skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings", "tryfirst", "trylast"];

/** A finder location → the scanned module behind it, when it is one of the repository's files. */
export function localModuleOf(scan: Scan): (loc: Location) => LocalModule | undefined {
  const prefix = scan.discovery.root + sep;
  // Asked for the same few thousand locations over and over while imports are simulated; the
  // finder hands out one Location object per module.
  const known = new WeakMap<Location, LocalModule | null>();
  return (loc) => {
    let local = known.get(loc);
    if (local === undefined) {
      const file = loc.file?.startsWith(prefix) ? loc.file.slice(prefix.length).split(sep).join("/") : undefined;
      const facts = file === undefined ? undefined : scan.facts.get(file);
      local = facts && file !== undefined ? { name: loc.name, file, facts, isPackage: loc.kind === "package" || (loc.kind === "preloaded" && !!loc.searchLocations) } : null;
      known.set(loc, local);
    }
    return local ?? undefined;
  };
}

export function check(scan: Scan): CheckResult {
  const localOf = localModuleOf(scan);

  const tests = scan.resolved.tests;
  const pytestVersion = scan.resolved.distributions.all.find((d) => d.normalized === "pytest")?.version;
  const preflight = preflightSession(scan, pytestVersion);
  const registered = new Set([...PYTEST_MARKERS, ...scan.discovery.pytest.markers.map((m) => m.name), ...preflight.plugins.flatMap((p) => p.markers)]);
  for (const t of tests) if (t.kind === "conftest") for (const r of scan.facts.get(t.file)?.markerRegistrations ?? []) registered.add(r.name);

  const strict = strictMarkersFor(scan.discovery.pytest, pytestVersion);
  const { reachesCycle } = scan.cycles ?? findCycles(scan.graph);
  const simInput = { finder: scan.resolved.finder, classify: scan.resolved.classify, target: scan.target, localOf, replayed: reachesCycle, builtinWrites: builtinWritesOf(scan.facts.values()) };
  // Markers are checked only inside a pytest session; a plain `import` never looks at them.
  const sim = new Simulator({ ...simInput, markers: { session: true, strict, registered }, ...(preflight.importWarning ? { importWarning: preflight.importWarning } : {}) });
  const plain = new Simulator({ ...simInput, markers: { session: false, strict: false, registered } });

  // The pytest session.
  const session = new Run();
  const conftestFailures = new Map<string, { cause: Cause; chain: Hop[] }>();
  const failedConftests: { file: string; initial: boolean; failure: { cause: Cause; chain: Hop[] } }[] = [];
  let abort: { cause: Cause; chain: Hop[] } | undefined;
  const testVerdicts: TestVerdict[] = [];
  const seenNames = new Map<string, string>();
  const collides = scan.discovery.pytest.importMode !== "importlib";
  for (const t of tests) {
    const verdict: TestVerdict = { file: t.file, module: t.name, kind: t.kind, collectable: true };
    const blockedBy = t.kind === "test" ? failedConftestAbove(t.file, conftestFailures) : undefined;
    if (blockedBy) {
      verdict.collectable = false;
      verdict.cause = blockedBy.cause;
      verdict.chain = blockedBy.chain;
    } else if (collides && t.kind === "test" && seenNames.has(t.name)) {
      verdict.collectable = false;
      verdict.cause = {
        rule: "test-module-collision",
        target: t.name,
        file: t.file,
        line: 1,
        column: 1,
        exception: "ImportError",
        message: `import file mismatch: imported module '${t.name}' has this __file__ attribute: ${seenNames.get(t.name)} which is not the same as the test file we want to collect: ${t.file}`,
      };
      verdict.chain = [{ module: t.name, file: t.file, line: 1 }];
    } else {
      const outcome = sim.importModule(t.name, session);
      const initial = t.kind === "conftest" && preflight.initialConftests.has(t.file);
      let failure = outcome.ok ? undefined : outcome.failure;
      // pytest_plugins is honoured only in conftests loaded before collection.
      const plugins = t.kind === "conftest" ? (scan.facts.get(t.file)?.pytestPlugins ?? []) : [];
      if (!failure && !initial && plugins.length > 0) failure = nonTopLevelPlugins(t.file, scan.discovery.root);
      if (failure) {
        if (failure.cause.exception === "Skipped" && t.kind === "test") verdict.skipped = true;
        else {
          verdict.collectable = false;
          verdict.cause = failure.cause;
          verdict.chain = failure.chain;
          if (t.kind === "conftest") {
            conftestFailures.set(dirname(t.file), failure);
            failedConftests.push({ file: t.file, initial, failure });
            // An initial conftest that fails stops the session before collection (exit 4).
            if (initial && !abort) abort = failure;
          }
        }
      }
      if (t.kind === "test" && !seenNames.has(t.name)) seenNames.set(t.name, t.file);
    }
    testVerdicts.push(verdict);
  }

  // What stops the whole session: -p and required_plugins first, then an initial conftest,
  // then addopts; an unknown ini key under strict config only once collection is over.
  let sessionVerdict = preflight.verdict;
  const beforeConftests = sessionVerdict.cause && sessionVerdict.stage === "startup" && sessionVerdict.cause.rule === "missing-plugin";
  if (abort && !beforeConftests) {
    const file = failedConftests.find((c) => c.failure === abort)!.file;
    sessionVerdict = {
      collectable: false,
      exitCode: 4,
      stage: "startup",
      cause: { ...abort.cause, rule: "conftest-failure", target: file, message: `ImportError while loading conftest '${file}': ${abort.cause.message}` },
    };
  }
  if (!sessionVerdict.collectable && sessionVerdict.stage === "startup") {
    // Nothing is collected: every test file shares the session's fate.
    const shared = abort && sessionVerdict.cause?.rule === "conftest-failure" ? abort : { cause: sessionVerdict.cause as Cause, chain: [] };
    for (const v of testVerdicts) {
      if (v.kind !== "test") continue;
      v.collectable = false;
      delete v.skipped;
      v.cause = shared.cause;
      v.chain = shared.chain;
    }
  }

  // Each module in a fresh interpreter.
  const moduleVerdicts: ModuleVerdict[] = [];
  for (const mod of scan.resolved.modules) {
    // `__main__` modules are programs (`python -m pkg`), never imported by tests.
    if (!mod.rooted || mod.name === "__main__" || mod.name.endsWith(".__main__")) continue;
    const outcome = plain.importFresh(mod.name);
    const verdict: ModuleVerdict = { module: mod.name, file: mod.file, importable: outcome.ok };
    if (!outcome.ok) {
      verdict.cause = outcome.failure.cause;
      verdict.chain = outcome.failure.chain;
    }
    moduleVerdicts.push(verdict);
  }
  moduleVerdicts.sort((a, b) => compareStrings(a.module, b.module) || compareStrings(a.file, b.file));
  testVerdicts.sort((a, b) => compareStrings(a.file, b.file));

  const sessionKeys = new Set(preflight.findings.map((f) => rootCauseKey({ ...f, exception: "", message: "" } as Cause)));
  const all = applyRuleLevels(
    [
      ...preflight.findings,
      ...withConftestScope(
        rootCauseFindings(scan, moduleVerdicts, testVerdicts).filter((f) => !sessionKeys.has(rootCauseKey({ ...f, exception: "", message: "" } as Cause))),
        failedConftests,
        sessionVerdict,
      ),
      ...warningFindings(scan, registered, strict, pytestVersion),
    ],
    scan.config.rules ?? {},
  );
  // TypeScript/JavaScript modules and test files, judged as Node and vitest load them.
  const scripts = checkScripts(scan.scripts, scan.discovery.root, scan.config.heavyPackages ?? []);
  moduleVerdicts.push(...scripts.modules);
  testVerdicts.push(...scripts.tests);
  moduleVerdicts.sort((a, b) => compareStrings(a.module, b.module) || compareStrings(a.file, b.file));
  testVerdicts.sort((a, b) => compareStrings(a.file, b.file));
  const lineOf = sourceLines(scan.discovery.root);
  const everything = [...all, ...applyRuleLevels(scripts.findings.map((f) => ({ ...f, language: scripts.languageOf(f.file) })), scan.config.rules ?? {})];
  const findings = everything.filter((f) => !isSuppressed(f, lineOf));
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      b.blastRadius.tests - a.blastRadius.tests ||
      b.blastRadius.modules - a.blastRadius.modules ||
      compareStrings(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareStrings(a.rule, b.rule) ||
      compareStrings(a.target, b.target),
  );
  return { modules: moduleVerdicts, tests: testVerdicts, findings, suppressed: everything.length - findings.length, session: sessionVerdict };
}

/** Severities from the configuration; `off` drops the rule's findings. */
function applyRuleLevels(findings: Finding[], levels: NonNullable<Scan["config"]["rules"]>): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const level = levels[f.rule];
    if (level === "off") continue;
    out.push(level ? { ...f, severity: level } : f);
  }
  return out;
}

/** One line of a repository file, read on demand (suppression comments are rare; most files are never read). */
function sourceLines(root: string): (file: string, line: number) => string | undefined {
  const cache = new Map<string, string[]>();
  return (file, line) => {
    let lines = cache.get(file);
    if (!lines) {
      try {
        lines = readFileSync(join(root, file), "utf8").split(/\r?\n/);
      } catch {
        lines = [];
      }
      cache.set(file, lines);
    }
    return lines[line - 1];
  };
}

function severityRank(s: Severity): number {
  return s === "error" ? 0 : s === "warning" ? 1 : 2;
}

function failedConftestAbove(file: string, failures: Map<string, { cause: Cause; chain: Hop[] }>): { cause: Cause; chain: Hop[] } | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const f = failures.get(dir);
    if (f) return f;
    if (dir === ".") return undefined;
  }
}

/** pytest's collection error for `pytest_plugins` in a conftest loaded during collection. */
function nonTopLevelPlugins(file: string, root: string): { cause: Cause; chain: Hop[] } {
  const message = `Failed: Defining 'pytest_plugins' in a non-top-level conftest is no longer supported: It affects the entire test suite instead of just below the conftest as expected. ${join(root, file)}`;
  return { cause: { rule: "missing-plugin", target: "pytest_plugins", file, line: 1, column: 1, exception: "Failed", message }, chain: [{ module: file, file, line: 1 }] };
}

/**
 * A root cause that makes a conftest fail says what that takes down: the whole session (an
 * initial conftest, exit 4 before collection) or the test files below the conftest.
 */
function withConftestScope(findings: Finding[], failed: { file: string; initial: boolean; failure: { cause: Cause; chain: Hop[] } }[], session: SessionVerdict): Finding[] {
  for (const { file, initial, failure } of failed) {
    const f = findings.find((x) => rootCauseKey({ ...x, exception: "", message: "" } as Cause) === rootCauseKey(failure.cause));
    if (!f) continue;
    const dir = dirname(file);
    const stops = initial && session.cause?.rule === "conftest-failure" && session.cause.target === file;
    const scope = stops
      ? `${file} fails to import, so pytest stops before collecting anything (exit 4).`
      : initial
        ? `${file} fails to import, which stops pytest before collection (exit 4).`
        : `${file} fails to import, so every test file under ${dir === "." ? "the rootdir" : `${dir}/`} fails to collect.`;
    f.suggestion = f.suggestion ? `${scope} ${f.suggestion}` : scope;
  }
  return findings;
}

function rootCauseFindings(scan: Scan, modules: ModuleVerdict[], tests: TestVerdict[]): Finding[] {
  const explainer = new Explainer(scan);
  interface Group {
    cause: Cause;
    tests: number;
    modules: number;
    chain: Hop[];
    sites: Map<string, { file: string; line: number; column: number }>;
  }
  const groups = new Map<string, Group>();
  const add = (cause: Cause, chain: Hop[], kind: "tests" | "modules" | "none") => {
    const key = rootCauseKey(cause);
    let g = groups.get(key);
    if (!g) {
      g = { cause, tests: 0, modules: 0, chain, sites: new Map() };
      groups.set(key, g);
    }
    g.sites.set(causeKey(cause), { file: cause.file, line: cause.line, column: cause.column });
    if (kind === "none") return;
    g[kind]++;
    // Prefer a chain that starts at a test file: that is the story a reader needs.
    if (kind === "tests" && g.tests === 1) g.chain = chain;
  };
  for (const m of modules) if (m.cause && m.cause.exception !== "Skipped") add(m.cause, m.chain ?? [], "modules");
  for (const t of tests) if (t.cause && t.kind === "test") add(t.cause, t.chain ?? [], "tests");
  // A failing conftest is a root cause even when no test file sits below it.
  for (const t of tests) if (t.cause && t.kind === "conftest") add(t.cause, t.chain ?? [], "none");
  const findings: Finding[] = [];
  for (const g of groups.values()) {
    const sites = [...g.sites.values()].sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column);
    const first = sites[0]!;
    const cause = { ...g.cause, ...first };
    const facts = scan.facts.get(cause.file);
    const imports = facts?.imports ?? [];
    let index = imports.findIndex((i) => i.line === cause.line && i.column === cause.column);
    if (index < 0) index = imports.findIndex((i) => i.line <= cause.line && i.endLine >= cause.line);
    const imp = index >= 0 ? imports[index] : undefined;
    const res = index >= 0 ? scan.resolved.imports.get(cause.file)?.[index] : undefined;
    const from: { absolute?: string; names: string[] } = { names: imp?.kind === "from" ? imp.names.map((n) => n.name) : [] };
    if (res?.absolute) from.absolute = res.absolute;
    const explanation = explainer.explain(cause, from);
    const finding: Finding = {
      rule: cause.rule,
      severity: "error",
      file: cause.file,
      line: cause.line,
      column: cause.column,
      message: cause.message,
      target: cause.target,
      blastRadius: { tests: g.tests, modules: g.modules },
      chain: g.chain,
      sites,
    };
    if (explanation.suggestion) finding.suggestion = explanation.suggestion;
    if (explanation.classification) finding.classification = explanation.classification;
    findings.push(finding);
  }
  return findings;
}

/** heavy-import, undeclared-dependency, and unknown markers when markers are not strict. */
function warningFindings(scan: Scan, registered: ReadonlySet<string>, strict: boolean, pytestVersion: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const { graph } = scan;
  const testNodes = scan.resolved.tests.filter((t) => t.kind === "test").map((t) => t.name);
  // The curated list, plus any installed distribution over the size threshold.
  const heavy = new Set([...HEAVY_PACKAGES, ...(scan.config.heavyPackages ?? [])]);
  for (const d of scan.resolved.distributions.all) if (d.size >= HEAVY_INSTALLED_BYTES) for (const t of d.topLevel) heavy.add(t);

  // How many test files reach each module holding a heavy import, through imports that run at import time.
  const isHeavySite = (attrs: { kind: string; guard: string }, target: string): boolean => {
    const node = graph.getNodeAttributes(target);
    return attrs.kind !== "parent" && attrs.guard === "top" && heavy.has(node.name.split(".")[0]!) && (node.kind === "third-party" || node.kind === "missing");
  };
  const sites = new Set<string>();
  graph.forEachEdge((_e, attrs, source, target) => {
    if (isHeavySite(attrs, target)) sites.add(source);
  });
  const reachers = countReachingStarts(
    testNodes.filter((t) => graph.hasNode(t)),
    [...sites],
    (n) => {
      const out: string[] = [];
      graph.forEachOutEdge(n, (_e, attrs, _s, target) => {
        if (attrs.guard === "top" || attrs.kind === "parent") out.push(target);
      });
      return out;
    },
  );

  const declared = new Set(scan.discovery.declarations.dependencies.map((d) => d.normalized));
  const declaredImports = new Set(scan.discovery.declarations.dependencies.flatMap((d) => importNameOf(d.normalized)));
  const checkDeclared = scan.discovery.declarations.dependencies.length > 0;
  const reportedUndeclared = new Set<string>();

  graph.forEachEdge((_e, attrs, source, target) => {
    if (attrs.kind === "parent" || !attrs.file) return;
    const node = graph.getNodeAttributes(target);
    const top = node.name.split(".")[0]!;
    const src = graph.getNodeAttributes(source);
    if (src.kind !== "local" || src.language !== "python") return;
    if (isHeavySite(attrs, target)) {
      const tests = reachers.get(source) ?? 0;
      if (tests > 0) {
        findings.push({
          rule: "heavy-import",
          severity: ruleMeta("heavy-import").severity,
          file: attrs.file,
          line: attrs.line,
          column: attrs.column,
          message: `'${top}' is imported at module level; ${tests} test file${tests === 1 ? "" : "s"} pay for it on import`,
          target: top,
          blastRadius: { tests, modules: 0 },
          suggestion: `Import '${top}' inside the functions that use it, or under 'if TYPE_CHECKING:' when only annotations need it.`,
        });
      }
    }
    // The test runner itself is a given for a pytest preflight.
    if (checkDeclared && !TEST_RUNNER.has(top) && node.kind === "third-party" && node.distribution && !declared.has(normalizeDistName(node.distribution)) && !declaredImports.has(top)) {
      const key = `${attrs.file}\0${top}`;
      if (!reportedUndeclared.has(key)) {
        reportedUndeclared.add(key);
        findings.push({
          rule: "undeclared-dependency",
          severity: ruleMeta("undeclared-dependency").severity,
          file: attrs.file,
          line: attrs.line,
          column: attrs.column,
          message: `'${top}' comes from the installed distribution '${node.distribution}', which the project does not declare`,
          target: top,
          blastRadius: { tests: 0, modules: 0 },
          suggestion: `Declare '${node.distribution}' in the project's dependencies.`,
        });
      }
    }
  });

  const ignoredFlags = scan.discovery.pytest.addoptsSources.ini.filter((a) => a === "--strict-markers" || a === "--strict");
  if (ignoredFlags.length > 0 && !strict && !iniAddoptsStrictFlagsWork(pytestVersion) && scan.discovery.pytest.inifile) {
    const ini = scan.discovery.pytest.inifile;
    const file = ini.startsWith(`${scan.discovery.root}/`) ? ini.slice(scan.discovery.root.length + 1) : ini;
    findings.push({
      rule: "unknown-marker",
      severity: "warning",
      file,
      line: scan.discovery.pytest.raw.get("addopts")?.line ?? 1,
      column: 1,
      message: `'${ignoredFlags[0]}' in addopts has no effect with pytest ${pytestVersion}: unknown markers stay warnings`,
      target: ignoredFlags[0]!,
      blastRadius: { tests: 0, modules: 0 },
      suggestion: "Set 'strict_markers = true' in the pytest configuration instead.",
    });
  }
  if (!strict) {
    for (const mod of scan.resolved.modules) {
      for (const m of scan.facts.get(mod.file)?.markers ?? []) {
        if (registered.has(m.name)) continue;
        findings.push({
          rule: "unknown-marker",
          severity: "warning",
          file: mod.file,
          line: m.line,
          column: m.column,
          message: `PytestUnknownMarkWarning: Unknown pytest.mark.${m.name} (an error once strict markers are on)`,
          target: m.name,
          blastRadius: { tests: 0, modules: 0 },
          suggestion: distributionForMarker(m.name)
            ? `'${m.name}' is the marker of ${distributionForMarker(m.name)}: install it, or register '${m.name}' in the pytest configuration's markers.`
            : `Register '${m.name}' in the pytest configuration's markers.`,
        });
      }
    }
  }
  return findings;
}
