import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { findNode, whyPath } from "../graph/query.js";
import { addEnvironmentOptions, checkRoot, UsageError, type Io } from "./main.js";
import { scanWithProgress, type EnvironmentFlags } from "./shared.js";

interface WhyFlags extends EnvironmentFlags {
  path: string;
  format: "text" | "json";
}

export function whyCommand(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command("why")
    .description("show the shortest chain of imports from one module to another, with file:line per hop")
    .argument("<from>", "importing module: dotted name or file path (e.g. tests/test_api.py)")
    .argument("<to>", "imported module: dotted name, file path, or a name that resolves nowhere")
    .option("-C, --path <dir>", "repository to scan", ".")
    .option("-f, --format <format>", "text or json", "text");
  addEnvironmentOptions(cmd).action(async (fromArg: string, toArg: string, flags: WhyFlags) => {
    if (flags.format !== "text" && flags.format !== "json") throw new UsageError(`--format must be text or json, got ${JSON.stringify(flags.format)}`);
    const root = checkRoot(flags.path);
    const result = await scanWithProgress(root, flags, undefined, { stdlibInGraph: true });
    const { graph } = result;
    const from = findNode(graph, fromArg);
    if (!from) throw new UsageError(`no module or file named ${JSON.stringify(fromArg)} in ${root}`);
    const to = findNode(graph, toArg);
    if (!to) throw new UsageError(`nothing in ${root} imports ${JSON.stringify(toArg)}`);
    const hops = whyPath(graph, from, to);
    if (flags.format === "json") {
      const chain = (hops ?? []).map((h) => ({
        from: h.from,
        to: h.to,
        kind: h.edge.kind,
        file: h.edge.file ?? graph.getNodeAttribute(h.from, "file") ?? null,
        line: h.edge.line,
        guard: h.edge.guard,
      }));
      io.out(`${JSON.stringify({ version: 1, from, to, found: hops !== undefined, chain }, null, 2)}\n`);
      return done(hops ? 0 : 1);
    }
    if (!hops) {
      io.out(`${from} does not import ${to}, directly or indirectly.\n`);
      return done(1);
    }
    const target = graph.getNodeAttributes(to);
    io.out(`${pc.bold(graph.getNodeAttribute(from, "name"))} → ${pc.bold(target.name)} (${hops.length} hop${hops.length === 1 ? "" : "s"})\n`);
    for (const hop of hops) {
      const toNode = graph.getNodeAttributes(hop.to);
      if (hop.edge.kind === "parent") {
        const where = graph.getNodeAttribute(hop.from, "file");
        io.out(`  ${pc.dim(`${where ?? hop.from}`)}  ${pc.dim(`(importing ${hop.from} runs its package ${hop.to} first)`)}\n`);
        continue;
      }
      const file = hop.edge.file!;
      const code = sourceLine(root, file, hop.edge.line);
      const guard = hop.edge.guard === "top" ? "" : pc.yellow(`  [${hop.edge.guard}]`);
      const mark = toNode.kind === "missing" ? pc.red(`  ✗ ${toNode.name}: not found`) : "";
      io.out(`  ${pc.cyan(`${file}:${hop.edge.line}`)}  ${code}${guard}${mark}\n`);
    }
    return done(0);
  });
}

function sourceLine(root: string, file: string, line: number): string {
  try {
    return (readFileSync(join(root, file), "utf8").split(/\r?\n/)[line - 1] ?? "").trim();
  } catch {
    return "";
  }
}
