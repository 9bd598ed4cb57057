/**
 * The differential oracle for `snag check`: every prediction is compared with what really happens.
 * - modules: each module imported in its own fresh python3 with the same sys.path; importable or
 *   not, the exception class, and the file:line of the failing statement must match.
 * - tests: real `pytest --collect-only` with a plugin recording every collection report; each test
 *   file's collectability, and the failing file:line, must match.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { copyFixture, FIXTURES } from "./helpers/fixtures.js";
import { compareWithInterpreter, hasPython, pythonView } from "./helpers/oracle.js";

/** Every fixture under fixtures/ that has Python files and needs no special environment. */
const CHECK_FIXTURES = readdirSync(FIXTURES).filter((name) => name !== "local-venv" && hasPython(join(FIXTURES, name)));

describe("snag check agrees with CPython and pytest", () => {
  for (const name of CHECK_FIXTURES) {
    it(name, async () => {
      const root = copyFixture(name);
      const result = await scan(root);
      const checked = pythonView(check(result));
      expect(compareWithInterpreter(result, checked)).toEqual([]);
      expect(checked.modules.length).toBeGreaterThan(0);
    });
  }
});
