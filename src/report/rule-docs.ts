/**
 * Rule documentation: the Markdown pages in docs/rules/ and the words `snag explain` prints, both
 * from the rule metadata in src/rules/, so the docs cannot drift from what the CLI says.
 */
import type { FixKind } from "../fix/model.js";
import { RULES } from "../rules/index.js";
import type { RuleMeta } from "../rules/types.js";

/** What each fix kind does, in one line; a Record so a new FixKind cannot ship undocumented. */
export const FIX_SUMMARIES: Readonly<Record<FixKind, string>> = {
  "bridge-module": "create a module at the old path that re-exports each name its importers use from where it is defined now",
  "rewrite-import": "point the import at the module that defines the names now",
  "root-fix": "drop the prefix of a path written from the wrong root (`from src.pkg import X` → `from pkg import X` when `src` is on `pythonpath`)",
  "rename-import": "use the spelling that exists (a renamed name and its uses in that file, or a misspelt `parametrize` marker)",
  "compat-alias": "keep the old name importable with an alias in the defining module (`Old = New`)",
  "lazy-import": "move the import into the functions that use it, keeping it under `if TYPE_CHECKING:` for annotations",
  "importorskip": "skip the test files that need a missing package with `pytest.importorskip(\"pkg\")`",
  "register-marker": "register the marker in the file that holds the pytest configuration, in its syntax",
  "reorder-bases": "reorder the bases to the order closest to the written one that C3 accepts",
  "declare-dependency": "declare the distribution in pyproject.toml, setup.cfg or requirements*.txt",
  "export-name": "export a name the module declares but does not export (`export { name };`)",
};

export const NO_FIX = "none: `snag fix` proposes no edit for this rule and says why no change is sound";

/** The page's file name inside docs/rules/. */
export function rulePageName(meta: RuleMeta): string {
  return `${meta.id}.md`;
}

export function ruleDoc(meta: RuleMeta): string {
  const fixes = meta.fixes ?? [];
  const lines = [
    generatedNotice(`src/rules/${meta.id}.ts`),
    `# ${meta.id}`,
    "",
    `**Severity:** ${meta.severity}`,
    "",
    oneParagraph(meta.summary),
    "",
    "## What it detects",
    "",
    oneParagraph(meta.docs.what),
    "",
    "## Why it matters",
    "",
    oneParagraph(meta.docs.why),
    "",
    "## Example",
    "",
    ...fenced(meta.docs.example, "python"),
    "",
    "## How to fix",
    "",
    oneParagraph(meta.docs.fix),
    "",
    "## Automatic fixes",
    "",
  ];
  if (fixes.length === 0) {
    lines.push(`${capitalize(NO_FIX)}.`);
  } else {
    lines.push("`snag fix` can propose, depending on the cause (`snag fix --format json` lists the preferred fix first):", "");
    for (const kind of fixes) lines.push(`- \`${kind}\`: ${FIX_SUMMARIES[kind]}`);
  }
  return `${lines.join("\n")}\n`;
}

/** docs/rules/README.md: one row per rule, in the order `snag rules` lists them. */
export function rulesIndex(): string {
  const lines = [
    generatedNotice("src/rules/*.ts"),
    "# snag rules",
    "",
    "Every rule `snag check` applies. `snag rules` prints this list; `snag explain <rule>` prints a page.",
    "",
    "| rule | severity | what breaks | automatic fixes |",
    "| --- | --- | --- | --- |",
  ];
  for (const meta of RULES) {
    const fixes = (meta.fixes ?? []).map((k) => `\`${k}\``).join(", ") || "none";
    lines.push(`| [\`${meta.id}\`](${rulePageName(meta)}) | ${meta.severity} | ${tableCell(meta.summary)} | ${fixes} |`);
  }
  return `${lines.join("\n")}\n`;
}

function generatedNotice(source: string): string {
  return `<!-- Generated from ${source} by \`npm run docs\`; edit the source, not this file. -->\n`;
}

// Metadata is hand-written; a stray CR or blank line would break the LF-only, one-paragraph layout.
function oneParagraph(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, " ").trim();
}

function fenced(code: string, lang: string): string[] {
  const body = code.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  // A fence must be longer than any backtick run inside, or the example would close it early.
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...body.split("\n"), fence];
}

function tableCell(text: string): string {
  return oneParagraph(text).replace(/\|/g, "\\|");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
