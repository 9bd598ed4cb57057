/**
 * A class whose bases C3 cannot linearise: list them in an order it accepts (subclasses before
 * their bases), closest to the written order; a base written twice is written once.
 */
import { localModuleOf } from "../../analyze/check.js";
import { ClassResolver } from "../../analyze/classes.js";
import { linearize } from "../../analyze/mro.js";
import type { Finding } from "../../analyze/model.js";
import type { PyBase, PyClass } from "../../parse/python/facts.js";
import type { FixContext } from "../context.js";
import type { Fix } from "../model.js";
import { statementAt } from "../python-source.js";

const MAX_BASES = 7;

export function reorderBasesFix(ctx: FixContext, finding: Finding): Fix | string {
  const facts = ctx.facts(finding.file);
  const cls = facts?.classes.find((c) => c.line === finding.line && c.column === finding.column);
  const record = ctx.scan.resolved.modules.find((m) => m.file === finding.file);
  if (!facts || !cls || !record) return `no class statement at ${finding.file}:${finding.line}`;
  if (cls.dynamicBases) return `the bases of '${cls.name}' are computed`;
  const unique: PyBase[] = [];
  for (const b of cls.bases) if (!unique.some((u) => u.text === b.text)) unique.push(b);
  if (unique.length > MAX_BASES) return `'${cls.name}' has more than ${MAX_BASES} bases`;

  const localOf = localModuleOf(ctx.scan);
  const finder = ctx.scan.resolved.finder;
  const mod = { name: record.name, file: record.file, facts, isPackage: record.isPackage };
  const accepts = (bases: PyBase[]): boolean => {
    const resolver = new ClassResolver({
      target: ctx.scan.target,
      local: (name) => {
        const found = finder.find(name);
        return found.found ? localOf(found.location) : undefined;
      },
      isModule: (name) => finder.find(name).found,
    });
    const node = resolver.classNode(mod, { ...cls, bases } satisfies PyClass);
    return !!node && linearize(node).ok;
  };
  const order = permutations(unique.length)
    .map((p) => ({ p, moved: p.filter((v, i) => v !== i).length }))
    .sort((a, b) => a.moved - b.moved)
    .find(({ p }) => accepts(p.map((i) => unique[i]!)));
  if (!order) return `no order of the bases of '${cls.name}' is consistent; one of them must go`;
  const bases = order.p.map((i) => unique[i]!);

  const doc = ctx.doc(finding.file);
  if (typeof doc === "string") return doc;
  const node = statementAt(ctx.tree(doc), cls.line, cls.column, ["class_definition"]);
  const list = node?.childForFieldName("superclasses");
  if (!list) return `no base list at ${finding.file}:${cls.line}`;
  const positional = list.namedChildren.filter((c) => c.type !== "comment" && c.type !== "keyword_argument");
  const keywords = list.namedChildren.filter((c) => c.type === "keyword_argument").map((k) => k.text);
  if (positional.length !== cls.bases.length) return `the base list at ${finding.file}:${cls.line} is not plain`;
  const written = bases.map((b) => b.text);
  const title = `Reorder the bases of '${cls.name}' to (${written.join(", ")})${unique.length < cls.bases.length ? ", listing each once" : ""}`;
  if (unique.length === cls.bases.length) {
    // Same slots, new order: comments and line breaks in the list stay where they are.
    const edits = positional.map((slot, i) => ({ file: finding.file, start: slot.startIndex, end: slot.endIndex, text: written[i]! })).filter((e, i) => positional[i]!.text !== e.text);
    return { kind: "reorder-bases", title, safety: "review", edits, creates: [] };
  }
  const text = `(${[...written, ...keywords].join(", ")})`;
  return { kind: "reorder-bases", title, safety: "review", edits: [{ file: finding.file, start: list.startIndex, end: list.endIndex, text }], creates: [] };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}
