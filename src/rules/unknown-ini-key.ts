import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "unknown-ini-key",
  summary: "A pytest setting that no installed plugin registers: a warning, or the end of the run under strict config.",
  severity: "warning",
  docs: {
    what:
      "Each key of the pytest configuration is checked against the ini keys pytest and the loaded plugins register (`parser.addini`), read from their sources. Keys of well-known plugins name their distribution (`timeout` → pytest-timeout, `asyncio_mode` → pytest-asyncio).",
    why: "Without strict config pytest only warns (PytestConfigWarning) and the setting silently does nothing, e.g. no timeout at all. With `--strict-config`, `strict_config = true` or pytest 9's `strict = true`, the run fails with exit 4 once collection is over, so no test runs.",
    example: "# pytest.ini\n[pytest]\nstrict = true\ntimeout = 30        # pytest-timeout is not installed: \"Unknown config option: timeout\"",
    fix: "Install the plugin that reads the key, or remove the key from the configuration.",
  },
  fixes: [],
};
