import type { Command } from "commander";
import { findNode, neighbourhood } from "../graph/query.js";
import { graphToDot, graphToJson, graphToMermaid, type GraphView } from "../report/graph-formats.js";
import { addEnvironmentOptions, checkRoot, formatOption, UsageError, type Io } from "./main.js";
import { displayPath, pythonMeta, scanWithProgress, type EnvironmentFlags } from "./shared.js";

interface GraphFlags extends EnvironmentFlags {
  format: "json" | "dot" | "mermaid";
  focus?: string;
  depth: string;
  stdlib?: boolean;
}

export function graphCommand(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command("graph")
    .description("print the import graph of a repository, resolved the way CPython and pytest (Python) and tsc and vitest (TypeScript/JavaScript) resolve it")
    .argument("[path]", "repository to scan", ".")
    .addOption(formatOption(["json", "dot", "mermaid"], "json"))
    .option("--focus <module>", "only the neighbourhood of this module (dotted name or file path)")
    .option("--depth <n>", "with --focus: how many import hops to include", "2")
    .option("--no-stdlib", "leave standard-library modules out of dot and mermaid pictures");
  addEnvironmentOptions(cmd).action(async (path: string, flags: GraphFlags) => {
      const root = checkRoot(path);
      const depth = Number(flags.depth);
      if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth must be a whole number, got ${JSON.stringify(flags.depth)}`);
      const result = await scanWithProgress(root, flags, undefined, { stdlibInGraph: true });
      const view: GraphView = { graph: result.graph, hideStdlib: flags.format !== "json" && flags.stdlib === false };
      if (flags.focus) {
        const center = findNode(result.graph, flags.focus);
        if (!center) throw new UsageError(`no module or file named ${JSON.stringify(flags.focus)} in the graph`);
        view.nodes = neighbourhood(result.graph, center, depth);
      }
      if (flags.format === "dot") io.out(graphToDot(view));
      else if (flags.format === "mermaid") io.out(graphToMermaid(view));
      else {
        const python = pythonMeta(result.env);
        io.out(
          graphToJson(view, {
            root: ".",
            python,
            sysPath: result.resolved.sysPath.map((p) => displayPath(result.discovery.root, p)),
            diagnostics: result.diagnostics,
          }),
        );
      }
      done(0);
  });
}
