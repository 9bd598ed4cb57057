/**
 * Terminal manners: the progress bar appears only where a person watches a long scan, and never
 * changes piped or CI output.
 */
import { describe, expect, it } from "vitest";
import { progressBar } from "../src/cli/progress.js";

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const s = { isTTY, written: "", write(t: string) { s.written += t; return true; } };
  return s as unknown as NodeJS.WriteStream & { written: string };
}

describe("progress bar", () => {
  it("draws after a moment on a terminal and erases itself", () => {
    let t = 0;
    const stream = fakeStream(true);
    const bar = progressBar({ stream, env: {}, now: () => t })!;
    bar.update(32, 100);
    expect(stream.written).toBe(""); // too soon: short scans never flicker
    t = 1000;
    bar.update(64, 100);
    expect(stream.written).toContain("64/100 files");
    bar.done();
    expect(stream.written.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("is absent when piped, in CI, on a dumb terminal, or with --quiet", () => {
    expect(progressBar({ stream: fakeStream(false), env: {} })).toBeUndefined();
    expect(progressBar({ stream: fakeStream(true), env: { CI: "true" } })).toBeUndefined();
    expect(progressBar({ stream: fakeStream(true), env: { TERM: "dumb" } })).toBeUndefined();
    expect(progressBar({ stream: fakeStream(true), env: {}, quiet: true })).toBeUndefined();
  });
});
