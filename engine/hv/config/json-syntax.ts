// Where JSON text first breaks the grammar, as a line and column: the
// parser's own messages give an offset for some errors and none for others
// ("Unexpected token"), so the position is found here, by a scanner that
// only checks the grammar (RFC 8259) and builds nothing.

/** The offset of the first syntax error in `text`, or undefined when it is valid JSON. */
export function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string): boolean => {
    if (!text.startsWith(word, i)) return false;
    i += word.length;
    return true;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const numberAt = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const number = (): boolean => {
    numberAt.lastIndex = i;
    const m = numberAt.exec(text);
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // Containers are walked with an explicit stack, so deep nesting cannot
  // overflow ours. Each open container is at its start (an element or the
  // close may follow) or after an element (a comma or the close may follow).
  const stack: { readonly close: ']' | '}'; started: boolean }[] = [];
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push({ close: c === '[' ? ']' : '}', started: false });
      i++;
      return true;
    }
    return string() || number() || literal('true') || literal('false') || literal('null');
  };
  if (!value()) return i;
  for (;;) {
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) return i === text.length ? undefined : i;
    if (text[i] === top.close) {
      stack.pop();
      i++;
      continue;
    }
    if (top.started) {
      if (text[i] !== ',') return i;
      i++;
      ws();
    }
    top.started = true;
    if (top.close === '}') {
      if (!string()) return i;
      ws();
      if (text[i] !== ':') return i;
      i++;
    }
    if (!value()) return i;
  }
}
