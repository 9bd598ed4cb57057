/**
 * Which installed distribution provides which top-level import name, read from each site
 * directory's `*.dist-info` (RECORD, top_level.txt, METADATA) and legacy `*.egg-info`.
 */
import { note, readFileSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import type { Finder } from "./finder.js";

export interface Distribution {
  /** Name as in METADATA. */
  name: string;
  /** PEP 503 normalised name, for matching declared dependencies. */
  normalized: string;
  version?: string;
  /** Top-level import names it installs. */
  topLevel: string[];
  /** Installed size in bytes, summed from RECORD (0 when RECORD has no sizes). */
  size: number;
  siteDir: string;
  /** Its `*.dist-info` / `*.egg-info` directory. */
  metaDir: string;
}

export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export class DistributionIndex {
  private byImport = new Map<string, Distribution[]>();

  /** Every distribution, in site order then name order. */
  constructor(readonly all: Distribution[]) {
    for (const dist of all)
      for (const t of dist.topLevel) {
        const list = this.byImport.get(t) ?? [];
        list.push(dist);
        this.byImport.set(t, list);
      }
  }

  /** The distributions installed in `siteDirs`, read from their metadata. */
  static read(siteDirs: readonly string[], finder: Finder): Distribution[] {
    const all: Distribution[] = [];
    for (const dir of siteDirs) {
      // What is installed there is in its listing: noted, so that a memo of this goes stale on an install.
      note(dir);
      scanSite(dir, finder, all);
    }
    return all;
  }

  /** Distributions installing top-level import name `name`, in site order. */
  providers(topLevel: string): Distribution[] {
    return this.byImport.get(topLevel) ?? [];
  }
}

function scanSite(siteDir: string, finder: Finder, out: Distribution[]): void {
  const listing = finder.list(siteDir);
  if (!listing) return;
  for (const [entry, kind] of [...listing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (kind !== "dir") continue;
    const isDist = entry.endsWith(".dist-info");
    if (!isDist && !entry.endsWith(".egg-info")) continue;
    const meta = join(siteDir, entry);
    const metadata = readText(join(meta, isDist ? "METADATA" : "PKG-INFO"));
    const name = /^Name:\s*(.+)$/m.exec(metadata ?? "")?.[1]?.trim() ?? entry.replace(/-[^-]*\.(dist|egg)-info$/, "");
    const version = /^Version:\s*(.+)$/m.exec(metadata ?? "")?.[1]?.trim();
    const tops = new Set<string>();
    const topLevelTxt = readText(join(meta, "top_level.txt"));
    for (const line of topLevelTxt?.split(/\r?\n/) ?? []) if (line.trim()) tops.add(line.trim().split("/")[0]!);
    const record = readText(join(meta, isDist ? "RECORD" : "installed-files.txt"));
    let size = 0;
    // A RECORD can run to thousands of lines, nearly all under a few first path segments.
    const firsts = new Map<string, string | undefined>();
    for (let line of record?.split("\n") ?? []) {
      if (line.endsWith("\r")) line = line.slice(0, -1);
      const path = line.startsWith('"') ? line.slice(1, line.indexOf('"', 1)) : line.slice(0, line.indexOf(",") >>> 0);
      const slash = path.indexOf("/");
      let top: string | undefined;
      if (slash < 0) top = topLevelOfRecordPath(path);
      else {
        // Below a directory, the answer depends on that first segment alone.
        const first = path.slice(0, slash);
        top = firsts.get(first);
        if (top === undefined && !firsts.has(first)) firsts.set(first, (top = topLevelOfRecordPath(path)));
      }
      if (top) tops.add(top);
      const bytes = Number(line.slice(line.lastIndexOf(",") + 1));
      if (Number.isFinite(bytes)) size += bytes;
    }
    const dist: Distribution = { name, normalized: normalizeDistName(name), topLevel: [...tops].sort(), size, siteDir, metaDir: meta };
    if (version) dist.version = version;
    out.push(dist);
  }
}

function topLevelOfRecordPath(path: string): string | undefined {
  if (!path || path.startsWith("..") || path.startsWith("/")) return undefined;
  const first = path.split("/")[0]!;
  if (first.endsWith(".dist-info") || first.endsWith(".egg-info") || first.endsWith(".data") || first === "__pycache__") return undefined;
  if (path.includes("/")) return /^[A-Za-z_][\w]*$/.test(first) ? first : undefined;
  const m = /^([A-Za-z_]\w*)(\.[\w.-]*)?\.(py|pyc|so|pyd)$/.exec(first);
  return m ? m[1] : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
