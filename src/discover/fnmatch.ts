/**
 * Python's `fnmatch.fnmatchcase` (which pytest's python_files / norecursedirs matching reduces to on
 * POSIX): `*` matches anything including `/`, `?` one character, `[seq]` / `[!seq]` a set.
 */
const cache = new Map<string, RegExp>();

export function fnmatch(name: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${translate(pattern)}$`, "s");
    cache.set(pattern, re);
  }
  return re.test(name);
}

function translate(pat: string): string {
  let out = "";
  let i = 0;
  while (i < pat.length) {
    const c = pat[i++]!;
    if (c === "*") {
      while (pat[i] === "*") i++;
      out += ".*";
    } else if (c === "?") out += ".";
    else if (c === "[") {
      let j = i;
      if (pat[j] === "!") j++;
      if (pat[j] === "]") j++;
      while (j < pat.length && pat[j] !== "]") j++;
      if (j >= pat.length) out += "\\[";
      else {
        let stuff = pat.slice(i, j).replace(/\\/g, "\\\\");
        i = j + 1;
        if (stuff.startsWith("!")) stuff = "^" + stuff.slice(1);
        else if (stuff.startsWith("^")) stuff = "\\" + stuff;
        out += `[${stuff}]`;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return out;
}

/**
 * pytest's `fnmatch_ex`: a pattern without a path separator matches the basename; with one, it
 * matches the end of the path (a relative pattern is prefixed with `*`).
 */
export function fnmatchPath(path: string, pattern: string): boolean {
  if (!pattern.includes("/")) return fnmatch(path.slice(path.lastIndexOf("/") + 1), pattern);
  return fnmatch(path, pattern.startsWith("/") ? pattern : `*/${pattern}`) || fnmatch(path, pattern);
}
