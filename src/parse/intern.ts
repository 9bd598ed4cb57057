/**
 * Results cloned from worker threads bring their own copy of every string: "import", "from",
 * "os", the same module and file names thousands of times over. Replacing each string value by
 * one shared copy, as results arrive, keeps one of each on the main thread.
 */
export class Interner {
  private readonly strings = new Map<string, string>();

  /** `value` with every string inside it replaced by its shared copy (objects and arrays changed in place). */
  intern<T>(value: T): T {
    this.walk(value as unknown);
    return value;
  }

  private canonical(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === "string") value[i] = this.canonical(v);
        else if (v !== null && typeof v === "object") this.walk(v);
      }
    } else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const v = record[key];
        if (typeof v === "string") record[key] = this.canonical(v);
        else if (v !== null && typeof v === "object") this.walk(v);
      }
    }
  }
}
