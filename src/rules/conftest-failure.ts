import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "conftest-failure",
  summary: "A conftest.py that fails to import, with its scope: the whole session, or the tests of its directory.",
  severity: "error",
  docs: {
    what:
      "A conftest.py that cannot be imported (for any reason snag predicts: a missing module, a missing name, a NameError, ...), reported with what it takes down. Conftests pytest loads before collection (the rootdir's, those of the testpaths or command-line paths and their parents, and those of `test*` directories directly inside them) abort the session; deeper ones fail the collection of their directory.",
    why: "An initial conftest that fails ends the run with \"ImportError while loading conftest\" (exit 4) before any file is collected, so every per-file result is hidden; a deeper one turns every test file below it into a collection error.",
    example: "# conftest.py at the rootdir\nimport torch          # not installed: the whole session stops, exit 4",
    fix: "Fix the conftest's own root cause (listed with it); keep heavy or optional imports in conftests inside fixtures or behind pytest.importorskip.",
  },
  fixes: [],
};
