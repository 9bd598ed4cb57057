import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "undeclared-dependency",
  summary: "A third-party import that no declared dependency provides.",
  severity: "warning",
  docs: {
    what: "An installed third-party module imported by the project whose distribution is not declared in pyproject.toml, setup.cfg or requirements files (checked only when the project declares dependencies somewhere).",
    why: "It works on the machine where it happens to be installed and fails on a clean one: in CI, or for the next developer.",
    example: "# pyproject.toml declares only 'requests'\nimport yaml   # provided by PyYAML, not declared",
    fix: "Declare the distribution that provides the module.",
  },
  fixes: ["declare-dependency"],
};
