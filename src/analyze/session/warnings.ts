/**
 * Warnings as errors during collection: pytest applies `filterwarnings` (ini) and then `-W`
 * (addopts) around collection, so with `error` a standard-library module that warns when it is
 * imported makes the importing test file a collection error. Which modules warn, with which
 * category and message, is known per Python version (checked against the interpreters by
 * test/warnings-oracle.test.ts); for other versions, and for filters snag cannot judge (a module
 * field, a category it does not know), nothing is predicted.
 */

interface ImportWarning {
  category: "DeprecationWarning" | "PendingDeprecationWarning";
  message: string;
}

const ASYNCORE = "The asyncore module is deprecated and will be removed in Python 3.12. The recommended replacement is asyncio";
const IMP = "the imp module is deprecated in favour of importlib and slated for removal in Python 3.12; see the module's documentation for alternative uses";
const SMTPD = "The smtpd module is deprecated and unmaintained and will be removed in Python 3.12.  Please see aiosmtpd (https://aiosmtpd.readthedocs.io/) for the recommended replacement.";
const TIX = "The Tix Tk extension is unmaintained, and the tkinter.tix wrapper module is deprecated in favor of tkinter.ttk";
const LIB2TO3 = "lib2to3 package is deprecated and may not be able to parse Python 3.10+";
const PEP594 = ["cgi", "cgitb", "crypt", "imghdr", "nntplib", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib", "aifc", "audioop", "chunk", "nis", "ossaudiodev"];
const SRE = ["sre_compile", "sre_parse", "sre_constants"];

const dep = (message: string): ImportWarning => ({ category: "DeprecationWarning", message });

function table(entries: [string, ImportWarning][]): ReadonlyMap<string, ImportWarning> {
  return new Map(entries);
}

const pep594 = (): [string, ImportWarning][] => [...PEP594.map((m): [string, ImportWarning] => [m, dep(`'${m}' is deprecated and slated for removal in Python 3.13`)]), ["mailcap", dep("The mailcap module is deprecated and will be removed in Python 3.13. See the mimetypes module for an alternative.")]];
const sre = (): [string, ImportWarning][] => SRE.map((m) => [m, dep(`module '${m}' is deprecated`)]);

/** What `import X` warns, by target Python version. */
export const WARNS_ON_IMPORT: Readonly<Record<string, ReadonlyMap<string, ImportWarning>>> = {
  "3.10": table([
    ["imp", dep(IMP)],
    ["asynchat", dep(ASYNCORE)],
    ["asyncore", dep(ASYNCORE)],
    ["smtpd", dep(SMTPD)],
    ["lib2to3", { category: "PendingDeprecationWarning", message: LIB2TO3 }],
    ["tkinter.tix", dep(TIX)],
    ["binhex", dep("the binhex module is deprecated")],
  ]),
  "3.11": table([["imp", dep(IMP)], ["asynchat", dep(ASYNCORE)], ["asyncore", dep(ASYNCORE)], ["smtpd", dep(SMTPD)], ...pep594(), ["lib2to3", dep(LIB2TO3)], ...sre(), ["tkinter.tix", dep(TIX)]]),
  "3.12": table([...pep594(), ["lib2to3", dep(LIB2TO3)], ...sre(), ["tkinter.tix", dep(TIX)]]),
  "3.13": table(sre()),
};

const CATEGORY_PARENTS: Record<string, string[]> = {
  DeprecationWarning: ["DeprecationWarning", "Warning", "Exception", "BaseException"],
  PendingDeprecationWarning: ["PendingDeprecationWarning", "Warning", "Exception", "BaseException"],
};

interface Filter {
  action: string;
  message: string;
  category: string;
  module: string;
}

/** `action:message:category:module:lineno`, the way pytest's parse_warning_filter splits it. */
function parseFilter(text: string): Filter | undefined {
  const parts = text.split(":");
  if (parts.length > 5) return undefined;
  const [action = "", message = "", category = "", module = ""] = parts.map((p) => p.trim());
  return { action, message, category, module };
}

/**
 * Given the ini `filterwarnings` lines and the `-W` values (which pytest applies after them, so
 * they win), the import warnings that become errors during collection; undefined when none can
 * be predicted.
 */
export function importWarningsAsErrors(ini: readonly string[], cli: readonly string[], pythonVersion: string): ((module: string) => ImportWarning | undefined) | undefined {
  const known = WARNS_ON_IMPORT[pythonVersion];
  if (!known) return undefined;
  const filters = [...ini, ...cli].map(parseFilter);
  if (!filters.some((f) => f?.action === "error")) return undefined;
  const verdicts = new Map<string, ImportWarning | undefined>();
  for (const [module, warning] of known) {
    // Later filters take precedence (each is inserted at the front of warnings.filters).
    let decided: boolean | undefined;
    for (let i = filters.length - 1; i >= 0; i--) {
      const f = filters[i];
      if (!f) {
        decided = undefined;
        break;
      }
      const category = f.category === "" ? "Warning" : f.category.replace(/^builtins\./, "");
      if (!/^[A-Za-z_]\w*$/.test(category) || f.module !== "") {
        // A category from a module, or a module restriction: snag cannot tell whether it applies.
        decided = undefined;
        break;
      }
      if (!CATEGORY_PARENTS[warning.category]!.includes(category)) continue;
      if (f.message !== "") {
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${f.message})`, "i");
        } catch {
          decided = undefined;
          break;
        }
        if (!re.test(warning.message)) continue;
      }
      decided = f.action === "error";
      break;
    }
    if (decided) verdicts.set(module, warning);
  }
  return verdicts.size === 0 ? undefined : (module) => verdicts.get(module);
}
