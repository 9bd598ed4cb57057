/** Every rule's metadata, in the order `snag rules` lists them. */
import type { RuleId } from "../analyze/model.js";
import { meta as heavyImport } from "./heavy-import.js";
import { meta as importCycle } from "./import-cycle.js";
import { meta as importTimeError } from "./import-time-error.js";
import { meta as undefinedName } from "./undefined-name.js";
import { meta as missingModule } from "./missing-module.js";
import { meta as missingSymbol } from "./missing-symbol.js";
import { meta as missingExport } from "./missing-export.js";
import { meta as mroConflict } from "./mro-conflict.js";
import { meta as syntaxError } from "./syntax-error.js";
import { meta as testModuleCollision } from "./test-module-collision.js";
import type { RuleMeta } from "./types.js";
import { meta as undeclaredDependency } from "./undeclared-dependency.js";
import { meta as unknownOption } from "./unknown-option.js";
import { meta as unknownIniKey } from "./unknown-ini-key.js";
import { meta as missingPlugin } from "./missing-plugin.js";
import { meta as conftestFailure } from "./conftest-failure.js";
import { meta as warningAsError } from "./warning-as-error.js";
import { meta as unknownMarker } from "./unknown-marker.js";

export const RULES: readonly RuleMeta[] = [
  missingModule,
  missingSymbol,
  missingExport,
  importCycle,
  mroConflict,
  importTimeError,
  undefinedName,
  syntaxError,
  unknownMarker,
  testModuleCollision,
  heavyImport,
  undeclaredDependency,
  unknownOption,
  unknownIniKey,
  missingPlugin,
  conftestFailure,
  warningAsError,
];

export function ruleMeta(id: RuleId): RuleMeta {
  return RULES.find((r) => r.id === id)!;
}
