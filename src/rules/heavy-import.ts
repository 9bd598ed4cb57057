import type { RuleMeta } from "./types.js";

/** Packages that take seconds or gigabytes to import, or are often absent from test environments. */
export const HEAVY_PACKAGES = [
  "torch",
  "tensorflow",
  "jax",
  "jaxlib",
  "transformers",
  "pandas",
  "cv2",
  "keras",
  "scipy",
  "sklearn",
  "matplotlib",
  "pyspark",
  "xgboost",
  "lightgbm",
  "onnxruntime",
  "vllm",
  "triton",
];

/** npm packages that take seconds to load or pull in native code or a browser: the TypeScript/JavaScript list. */
export const HEAVY_NPM_PACKAGES = [
  "@tensorflow/tfjs",
  "@tensorflow/tfjs-node",
  "onnxruntime-node",
  "puppeteer",
  "playwright",
  "playwright-core",
  "electron",
  "typescript",
  "@babel/core",
  "webpack",
  "aws-sdk",
  "firebase-admin",
  "sharp",
  "canvas",
  "monaco-editor",
  "pdfjs-dist",
  "three",
];

/** An installed distribution this large (RECORD sizes) counts as heavy too. */
export const HEAVY_INSTALLED_BYTES = 50 * 1024 * 1024;

export const meta: RuleMeta = {
  id: "heavy-import",
  summary: "A heavy third-party package imported unguarded at module level on a path tests reach.",
  severity: "warning",
  docs: {
    what: "A module-level import of a package from the heavy list (torch, tensorflow, jax, transformers, pandas, cv2, ...) or of any installed distribution over 50 MiB, that test files reach through top-level imports. In TypeScript/JavaScript: a static import that survives type erasure of an npm package from the heavy list (@tensorflow/tfjs, puppeteer, playwright, electron, typescript, aws-sdk, sharp, ...) or from `heavy-packages` in the config, on a path test files load.",
    why: "Every test that reaches it pays the import time, and any environment without the package cannot collect those tests at all.",
    example: "# utils/__init__.py\nfrom .adapters.model_adapter import ModelAdapter   # imports torch at module level",
    fix: "Import the package inside the functions that use it, under `if TYPE_CHECKING:` when only annotations need it, or stop re-exporting the heavy module from the package `__init__`. In TypeScript: `await import(\"pkg\")` where it is needed, or `import type` when only types are.",
  },
  fixes: ["lazy-import"],
};
