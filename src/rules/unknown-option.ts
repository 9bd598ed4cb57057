import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "unknown-option",
  summary: "An option in addopts that neither pytest nor an installed plugin defines: pytest stops before collecting anything.",
  severity: "error",
  docs: {
    what:
      "Every option in `addopts` (pytest.ini, pyproject.toml, tox.ini, setup.cfg) and in `$PYTEST_ADDOPTS` is checked against what the session really registers: pytest's own options and those of each plugin it loads (entry points of installed distributions, `-p` modules, initial conftests), read from their sources. Options of well-known plugins are mapped to the distribution that provides them (`--timeout` → pytest-timeout, `-n` → pytest-xdist, `--cov` → pytest-cov, `--asyncio-mode` → pytest-asyncio).",
    why: "pytest parses `addopts` before it collects a single file: one unknown option is a usage error (\"unrecognized arguments\", exit 4), and no test runs at all, whatever state the code is in.",
    example: "# pytest.ini\n[pytest]\naddopts = --timeout=30 -n auto   # pytest-timeout and pytest-xdist are not installed",
    fix: "Install the plugin that provides the option in the test environment, or remove the option from addopts (keep it in the CI command line instead).",
  },
  fixes: [],
};
