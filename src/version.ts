import { readFileSync } from "node:fs";

/** snag's version, from package.json (part of every cache key and every JSON report). */
export const SNAG_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
