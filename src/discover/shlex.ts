/**
 * `shlex.split(s)` in POSIX mode, as pytest uses it for `addopts` and other "args" ini values:
 * whitespace separates words, single quotes are literal, double quotes allow \" \\ \$ \` escapes,
 * a backslash outside quotes escapes the next character. An unclosed quote is an error in Python;
 * here the remainder becomes the last word and `error` is set.
 */
export function shlexSplit(text: string): { words: string[]; error?: string } {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { words: [...words, word + text.slice(i + 1)], error: "No closing quotation" };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
          word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (!closed) return { words: [...words, word], error: "No closing quotation" };
    } else if (c === "\\") {
      if (i + 1 >= text.length) return { words: [...words, word], error: "No escaped character" };
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { words };
}
