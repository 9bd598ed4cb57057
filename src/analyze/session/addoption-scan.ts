/**
 * What a pytest plugin registers, read from its source without importing it: the command-line
 * options of its `addoption`/`_addoption` calls (with whether each takes a value) and the ini keys
 * of its `addini` calls. pytest itself registers the same way, so its own options come from the
 * installed `_pytest` package: always the installed version's, never a table that goes stale.
 *
 * A small tokenizer, not a parser: it skips comments and string literals (so examples in
 * docstrings never count), finds `.addoption(` / `._addoption(` / `.addini(` in code, and reads
 * the call's leading string arguments and its `action=` / `nargs=` keywords.
 */

export type Arity = "none" | "one" | "optional" | "many";

export interface OptionSpec {
  /** Every spelling: `-n`, `--numprocesses`. */
  names: string[];
  arity: Arity;
}

export interface Registrations {
  options: OptionSpec[];
  ini: string[];
  /** Markers added with `config.addinivalue_line("markers", "name(...): help")`. */
  markers: string[];
  /**
   * The file registers options (or ini keys) snag cannot read: names built at run time, or
   * `addoption` handed to a helper. Then an unknown name is not proof that nothing registers it.
   */
  openOptions?: boolean;
  openIni?: boolean;
}

const NO_VALUE_ACTIONS = new Set(["store_true", "store_false", "store_const", "append_const", "count", "help", "version"]);

interface Token {
  kind: "str" | "name" | "op";
  text: string;
  /** For strings: the literal's value (no escape processing beyond the common ones). */
  value?: string;
  /** An f-string: its `{...}` parts are computed at run time. */
  fstring?: boolean;
}

/** Python tokens, enough to read call arguments: names, operators, string literals. */
function* tokens(src: string): Generator<Token> {
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === "#") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\\" || c === "\f") {
      i++;
      continue;
    }
    const prefix = stringPrefix(src, i);
    if (prefix !== undefined) {
      const start = i + prefix.length;
      const q = src[start]!;
      const triple = src.startsWith(q.repeat(3), start);
      const close = triple ? q.repeat(3) : q;
      const raw = /r/i.test(prefix);
      let j = start + close.length;
      // The value is copied a run at a time, between escapes.
      let value = "";
      let run = j;
      while (j < n && !src.startsWith(close, j)) {
        if (src[j] === "\\" && !raw) {
          value += src.slice(run, j) + (src[j + 1] ?? "");
          j += 2;
          run = j;
          continue;
        }
        if (!triple && src[j] === "\n") break;
        j++;
      }
      value += src.slice(run, Math.min(j, n));
      i = j + close.length;
      yield { kind: "str", text: src.slice(start, i), value, ...(/f/i.test(prefix) ? { fstring: true } : {}) };
      continue;
    }
    if (isNameStart(src.charCodeAt(i))) {
      let j = i + 1;
      while (j < n && isNameChar(src.charCodeAt(j))) j++;
      yield { kind: "name", text: src.slice(i, j) };
      i = j;
      continue;
    }
    yield { kind: "op", text: c };
    i++;
  }
}

const STRING_PREFIX = "rRbBuUfF";
const isQuote = (c: string | undefined) => c === "'" || c === '"';

/** The prefix (maybe empty) of the string literal starting at `i`, undefined when none does. */
function stringPrefix(src: string, i: number): string | undefined {
  const c = src[i]!;
  if (isQuote(c)) return "";
  if (!STRING_PREFIX.includes(c)) return undefined;
  const d = src[i + 1];
  if (isQuote(d)) return c;
  if (d !== undefined && STRING_PREFIX.includes(d) && isQuote(src[i + 2])) return c + d;
  return undefined;
}

/** [A-Za-z_] */
function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

/** \w: [A-Za-z0-9_] */
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}

/**
 * Custom argparse actions (`class HelpAction(argparse.Action)`) and how many values each takes:
 * their `__init__` passes `nargs=0` (or 0 positionally) to argparse for a flag.
 */
export function actionArities(src: string): Map<string, Arity> {
  const out = new Map<string, Arity>();
  for (const m of src.matchAll(/^class (\w+)\(([^)]*)\):\n((?:[ \t]+.*\n|[ \t]*\n)*)/gm)) {
    if (!/Action\b/.test(m[2]!)) continue;
    const body = m[3]!;
    if (/nargs\s*=\s*0\b/.test(body) || /__init__\(\s*\w+\s*,\s*\w+\s*,\s*0\b/.test(body)) out.set(m[1]!, "none");
    else if (/nargs\s*=\s*["']\?["']/.test(body)) out.set(m[1]!, "optional");
    else out.set(m[1]!, "one");
  }
  return out;
}

/** Module- and class-level string constants (`EMPTY_PARAMETERSET_OPTION = "empty_parameter_set_mark"`). */
export function stringConstants(src: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of src.matchAll(/^[ \t]*([A-Z_][A-Z0-9_]*)\s*(?::\s*[\w.]+(?:\[[^\]\n]*\])?)?\s*=\s*["']([^"'\n]+)["'][ \t]*$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

export interface Known {
  actions?: ReadonlyMap<string, Arity>;
  constants?: ReadonlyMap<string, string>;
}

/** The registrations in one Python source file; `known` holds pytest's own actions and constants. */
export function scanRegistrations(src: string, known: Known = {}): Registrations {
  const actions = known.actions ?? new Map<string, Arity>();
  const constants = new Map([...(known.constants ?? []), ...stringConstants(src)]);
  const out: Registrations = { options: [], ini: [], markers: [] };
  // Cheap pre-check: most files of a plugin register nothing.
  if (!src.includes("addoption") && !src.includes("addini") && !src.includes("_add_verbosity_ini")) return out;
  const all = [...tokens(src)];
  const localActions = new Map([...actions, ...actionArities(src)]);
  // Helpers that wrap addoption, like pytest's `add_option_ini(option, dest, ...)`: a function
  // whose parameter is passed on as the option name (and maybe as an ini key).
  const wrappers = new Map<string, { iniParam?: string }>();
  // Bodies whose registrations are read at their call sites instead (token index ranges).
  const readAtCallSite: [number, number][] = [];
  for (let i = 0; i + 2 < all.length; i++) {
    if (all[i]!.text !== "def" || all[i + 1]!.kind !== "name" || all[i + 2]!.text !== "(") continue;
    const params: string[] = [];
    let j = i + 3;
    for (let depth = 1; j < all.length && depth > 0; j++) {
      const a = all[j]!;
      if (a.text === "(") depth++;
      else if (a.text === ")") depth--;
      else if (depth === 1 && a.kind === "name" && (all[j - 1]!.text === "(" || all[j - 1]!.text === ",")) params.push(a.text);
    }
    let end = j;
    while (end < all.length && all[end]!.text !== "def" && all[end]!.text !== "class") end++;
    let option = false;
    let iniParam: string | undefined;
    for (let k = j; k + 3 < end; k++) {
      if (all[k]!.text !== "." || all[k + 2]!.text !== "(") continue;
      const arg = all[k + 3]!;
      if (arg.kind !== "name" || !params.includes(arg.text)) continue;
      if (all[k + 1]!.text === "addoption" && arg.text === params[0]) option = true;
      if (all[k + 1]!.text === "addini") iniParam = arg.text;
    }
    if (option) wrappers.set(all[i + 1]!.text, iniParam ? { iniParam } : {});
    if (option || all[i + 1]!.text === "_add_verbosity_ini") readAtCallSite.push([j, end]);
  }
  const inWrapper = (k: number) => readAtCallSite.some(([a, b]) => k >= a && k < b);
  for (let i = 1; i < all.length; i++) {
    const t = all[i]!;
    if (t.kind === "name" && all[i - 1]!.text === "." && all[i + 1]?.text !== "(" && !inWrapper(i)) {
      if (t.text === "addoption" || t.text === "_addoption") out.openOptions = true;
      if (t.text === "addini") out.openIni = true;
    }
  }
  for (let i = 2; i < all.length; i++) {
    const t = all[i - 1]!;
    if (t.kind !== "name" || all[i]!.text !== "(") continue;
    // pytest's `Config._add_verbosity_ini(parser, Config.VERBOSITY_X, ...)` registers `verbosity_<x>`.
    if (t.text === "_add_verbosity_ini" && all[i - 2]!.text === ".") {
      let k = i + 1;
      while (k < all.length && all[k]!.text !== ",") k++;
      const parts: string[] = [];
      for (k++; k < all.length && all[k]!.text !== "," && all[k]!.text !== ")"; k++) parts.push(all[k]!.text);
      const value = constants.get(parts[parts.length - 1] ?? "");
      if (value) out.ini.push(`verbosity_${value}`);
      continue;
    }
    const wrapper = all[i - 2]!.text !== "." && all[i - 2]!.text !== "def" ? wrappers.get(t.text) : undefined;
    if (!wrapper && (all[i - 2]!.text !== "." || (t.text !== "addoption" && t.text !== "_addoption" && t.text !== "addini" && t.text !== "addinivalue_line"))) continue;
    // The call's arguments, split at depth-one commas: positional strings, then keywords.
    const args: Token[][] = [[]];
    let depth = 0;
    for (let j = i; j < all.length; j++) {
      const a = all[j]!;
      if (a.text === "(" || a.text === "[" || a.text === "{") {
        depth++;
        if (depth === 1) continue;
      } else if (a.text === ")" || a.text === "]" || a.text === "}") {
        depth--;
        if (depth === 0) break;
      } else if (depth === 1 && a.text === ",") {
        args.push([]);
        continue;
      }
      args[args.length - 1]!.push(a);
    }
    const leading: string[] = [];
    const keywords = new Map<string, Token[]>();
    for (const arg of args) {
      if (arg.length === 0) continue;
      if (arg[0]!.kind === "name" && arg[1]?.text === "=" && arg[2]?.text !== "=") keywords.set(arg[0]!.text, arg.slice(2));
      else if (keywords.size === 0 && arg.every((x) => x.kind === "str")) leading.push(arg.map((x) => x.value ?? "").join(""));
      else if (keywords.size === 0 && arg.length > 0 && arg[arg.length - 1]!.kind === "name" && arg.every((x, k) => (k % 2 === 0 ? x.kind === "name" : x.text === ".")) && constants.has(arg[arg.length - 1]!.text))
        leading.push(constants.get(arg[arg.length - 1]!.text)!);
      else if (keywords.size === 0) leading.push("\0");
      // An f-string option name is built at run time.
      if (keywords.size === 0 && arg.some((x) => x.kind === "str" && x.fstring && /\{/.test(x.value ?? ""))) leading[leading.length - 1] = "\0";
    }
    const single = (k: string): Token | undefined => {
      const v = keywords.get(k);
      return v && v.length === 1 ? v[0] : undefined;
    };
    if (t.text === "addinivalue_line") {
      const name = leading[0] === "markers" ? /^[^:(\s]+/.exec(leading[1] ?? "")?.[0] : undefined;
      if (name) out.markers.push(name);
      continue;
    }
    if (t.text === "addini") {
      if (leading[0] === "\0" && !inWrapper(i)) out.openIni = true;
      const name = leading[0] ?? single("name")?.value;
      if (name && name !== "\0") out.ini.push(name);
      for (const alias of keywords.get("aliases") ?? []) if (alias.kind === "str" && alias.value) out.ini.push(alias.value);
      continue;
    }
    if (leading[0] === "\0" && !inWrapper(i)) out.openOptions = true;
    const names = leading.filter((s) => s.startsWith("-"));
    if (names.length === 0) continue;
    if (wrapper?.iniParam) {
      const key = single(wrapper.iniParam);
      if (key?.kind === "str" && key.value) out.ini.push(key.value);
    }
    const action = single("action");
    const nargs = keywords.has("nargs") ? (single("nargs") ?? { kind: "name" as const, text: "expr" }) : undefined;
    let arity: Arity = "one";
    if (action?.kind === "str" && NO_VALUE_ACTIONS.has(action.value ?? "")) arity = "none";
    else if (action?.kind === "name" && localActions.has(action.text)) arity = localActions.get(action.text)!;
    else if (nargs?.kind === "str") arity = nargs.value === "?" ? "optional" : "many";
    else if (nargs?.kind === "name" || (nargs && /^\d+$/.test(nargs.text))) arity = nargs.text === "0" ? "none" : "many";
    out.options.push({ names, arity });
  }
  return out;
}

/** `essential_plugins = (...)` / `default_plugins = (...)` in `_pytest/config/__init__.py`. */
export function defaultPluginNames(configInit: string): string[] {
  const names: string[] = [];
  for (const which of ["essential_plugins", "default_plugins"]) {
    const m = new RegExp(`^${which}\\s*=\\s*\\(([^)]*)\\)`, "m").exec(configInit);
    if (!m) continue;
    for (const s of m[1]!.matchAll(/["']([\w.]+)["']/g)) if (!names.includes(s[1]!)) names.push(s[1]!);
  }
  return names;
}
