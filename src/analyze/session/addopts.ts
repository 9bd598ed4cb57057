/**
 * `addopts` read the way pytest's argparse parser reads it: long options exactly (pytest turns
 * abbreviations off), `--name=value`, short options with attached or separate values, clustered
 * short flags (`-vvs`), and `--` ending the options. What no registered option matches is what
 * pytest reports as "unrecognized arguments" and stops on (exit 4).
 */
import type { Arity, OptionSpec } from "./addoption-scan.js";

export interface ParsedArgs {
  /** Option tokens nothing registers, as pytest lists them. */
  unrecognized: string[];
  /** `-p NAME` values, in order (`no:NAME` included). */
  plugins: string[];
  /** Positional arguments: paths to collect. */
  positional: string[];
  /** Long names of the flags that were given (`--strict-config`, `--doctest-modules`). */
  flags: Set<string>;
  /** Values of options that take one, by every spelling of the option: `-W` → [...]. */
  values: Map<string, string[]>;
}

export function parseArgs(args: readonly string[], options: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const o of options) for (const n of o.names) byName.set(n, o);
  const out: ParsedArgs = { unrecognized: [], plugins: [], positional: [], flags: new Set(), values: new Map() };
  const given = (spec: OptionSpec, value?: string) => {
    for (const n of spec.names) {
      if (value === undefined) out.flags.add(n);
      else {
        const list = out.values.get(n) ?? [];
        list.push(value);
        out.values.set(n, list);
      }
    }
    if (spec.names.includes("-p") && value !== undefined) out.plugins.push(value);
  };
  const takes = (a: Arity) => a === "one" || a === "many";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq === -1 ? a : a.slice(0, eq);
      const spec = byName.get(name);
      if (!spec) {
        out.unrecognized.push(a);
        continue;
      }
      if (eq !== -1) given(spec, a.slice(eq + 1));
      else if (takes(spec.arity) && i + 1 < args.length) given(spec, args[++i]!);
      else given(spec);
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && !/^-\d/.test(a)) {
      // A cluster of short options: each flag in turn, until one takes the rest as its value.
      for (let k = 1; k < a.length; k++) {
        const spec = byName.get(`-${a[k]}`);
        if (!spec) {
          out.unrecognized.push(k === 1 ? a : `-${a.slice(k)}`);
          break;
        }
        if (spec.arity !== "none") {
          const rest = a.slice(k + 1);
          if (rest !== "") given(spec, rest);
          else if (takes(spec.arity) && i + 1 < args.length) given(spec, args[++i]!);
          else given(spec);
          break;
        }
        given(spec);
      }
      continue;
    }
    out.positional.push(a);
  }
  return out;
}
