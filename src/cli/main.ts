/**
 * The command line. Commands parse their options, call the pipeline, and hand the result to a
 * renderer; nothing here knows Python semantics.
 */
import { existsSync, statSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../discover/snag-config.js";
import { EnvironmentError } from "../resolve/interpreter.js";
import { SNAG_VERSION } from "../version.js";
import { checkCommand } from "./check-command.js";
import { fixCommand } from "./fix-command.js";
import { graphCommand } from "./graph-command.js";
import { reportCommand } from "./report-command.js";
import { explainCommand, rulesCommand } from "./rules-command.js";
import { whyCommand } from "./why-command.js";

/** A mistake of the user's: reported in one line, exit code 2, never a stack trace. */
export class UsageError extends Error {}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export function addEnvironmentOptions(cmd: Command): Command {
  return cmd
    .option("--python <path>", "interpreter whose environment to resolve against (default: $VIRTUAL_ENV, ./.venv, ./venv, python3 on PATH)")
    .option("--no-env", "resolve as if no third-party package were installed (a preflight before pip install)")
    .option("--python-version <x.y>", "target Python version for the standard library (default: the interpreter's)")
    .option("--exclude <pattern...>", "extra gitignore-style patterns to leave out of the scan")
    .option("-q, --quiet", "no progress bar and no notes on stderr; only the output and the exit code")
    .option("--cache-dir <dir>", "where parse results and replayable runs are kept (default: $SNAG_CACHE_DIR, else .snag-cache in the repository)")
    .option("--no-cache", "neither read nor write the cache (also: SNAG_NO_CACHE=1)");
}

export function checkRoot(path: string): string {
  if (!existsSync(path)) throw new UsageError(`path does not exist: ${path}`);
  if (!statSync(path).isDirectory()) throw new UsageError(`not a directory: ${path} (snag scans a repository directory)`);
  return path;
}

export function formatOption(choices: string[], fallback: string): Option {
  return new Option("-f, --format <format>", "output format").choices(choices).default(fallback);
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const program = new Command();
  program
    .name("snag")
    .description("Find the imports that will break your test run, before pytest or vitest starts. snag reads your code; it never runs it.")
    .version(SNAG_VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  let code = 0;
  const done = (c: number) => {
    code = c;
  };
  checkCommand(program, io, done, argv);
  fixCommand(program, io, done);
  reportCommand(program, io, done);
  graphCommand(program, io, done);
  whyCommand(program, io, done);
  rulesCommand(program, io, done);
  explainCommand(program, io, done);

  if (argv.length <= 2) {
    io.out(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
      if (err.code === "commander.executeSubCommandAsync") return err.exitCode;
      return 2;
    }
    if (err instanceof UsageError || err instanceof EnvironmentError || err instanceof ConfigError) {
      io.err(`snag: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return code;
}
