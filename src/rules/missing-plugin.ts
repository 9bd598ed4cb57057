import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "missing-plugin",
  summary: "A plugin the configuration requires or names is not there: required_plugins, -p NAME, pytest_plugins, minversion.",
  severity: "error",
  docs: {
    what:
      "`required_plugins` entries that no installed plugin distribution satisfies (with their version specifiers); `-p NAME` in addopts and `pytest_plugins = [...]` in an initial conftest naming a module that does not resolve; `minversion` above the installed pytest; `pytest_plugins` in a conftest pytest loads only during collection.",
    why: "These stop pytest at start-up: \"Missing required plugins\" and minversion are usage errors (exit 4), a plugin module that cannot be imported ends the run with a traceback (exit 1). `pytest_plugins` in a non-initial conftest is a collection error for its directory.",
    example: "# pytest.ini\n[pytest]\nrequired_plugins = pytest-timeout>=2\naddopts = -p pytest_randomly",
    fix: "Install the plugin (at the required version) in the test environment, or remove it from the configuration; move `pytest_plugins` to the rootdir conftest.",
  },
  fixes: [],
};
