/**
 * Where JSON text first goes wrong, and why, in one line. JSON.parse does not always say where
 * (`Unexpected token 'x', "<the whole text>" is not valid JSON` quotes the text, line breaks
 * and all), so a file's syntax error is located by this small scanner of the JSON grammar
 * (RFC 8259), which runs only after JSON.parse has refused the text.
 */
export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  column: number;
  reason: string;
}

class Stop {
  constructor(readonly offset: number, readonly reason: string) {}
}

function scan(text: string): void {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new Stop(at, at >= text.length ? 'unexpected end of the file' : reason);
  };
  const shown = (at: number) => (text[at] === '\n' || text[at] === '\r' ? 'a line break' : JSON.stringify(text[at]));
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(`expected ${word}`, i + k);
    i += word.length;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (text[i] === '"') return void i++;
      if (c < 0x20) fail(`${shown(i)} inside a string (write it as an escape, like \\n)`);
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('expected 4 hex digits after \\u', i + 2);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`unknown escape \\${e ?? ''}`, i + 1);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail(`unexpected ${shown(i)}; expected a value`);
    i += m![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail(`unexpected ${shown(i)}; expected a double-quoted key`);
        string();
        space();
        if (text[i] !== ':') fail(`unexpected ${shown(i)}; expected ":" after the key`);
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(`unexpected ${shown(i)}; expected "," or "}"`);
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(`unexpected ${shown(i)}; expected "," or "]"`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  value();
  space();
  if (i < text.length) fail(`unexpected ${shown(i)} after the end of the JSON value`);
}

/** The first syntax error of `text`, or undefined when the scanner finds none. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    // A stack overflow on absurdly deep nesting: the caller falls back on JSON.parse's message.
    if (!(error instanceof Stop)) return undefined;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { offset: error.offset, line, column: error.offset - before.lastIndexOf('\n'), reason: error.reason };
  }
}
