import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "unknown-marker",
  summary: "A pytest marker that is not registered while strict markers are on.",
  severity: "error",
  docs: {
    what:
      "`@pytest.mark.name` (or `pytestmark`) evaluated at import time for a marker registered nowhere: not in the ini `markers`, not by `config.addinivalue_line(\"markers\", ...)` in a conftest, not by pytest or an installed plugin. With `--strict-markers`, `strict_markers = true` or `strict = true` it is a collection error; otherwise a warning.",
    why: "Under strict markers the module fails to import at collection, so its tests never run.",
    example: "# pytest.ini: [pytest] strict_markers = true, and no `markers` line for high_load\nimport pytest\n\n@pytest.mark.high_load   # not registered: the module fails to collect\ndef test_burst(): ...",
    fix: "Register the marker in the pytest configuration (`markers = high_load: ...`) or fix its spelling.",
  },
  fixes: ["register-marker", "rename-import"],
};
