import { PythonInt, type PythonJson } from './python-json-value.js';

/** Options of {@link pythonJsonLoads}. */
export interface PythonJsonLoadsOptions {
  /**
   * Return integer literals (`5`, not `5.0`) as {@link PythonInt} so that they can be echoed as ints.
   * Default false: every number is a JavaScript number.
   */
  keepInts?: boolean;
}

/** A text that `json.loads` rejects; the message imitates Python's (`Expecting value: line 1 column 1 (char 0)`). */
export class PythonJsonSyntaxError extends SyntaxError {
  /** Offset of the problem in the text (Python's `pos`). */
  readonly position: number;

  constructor(message: string, text: string, position: number) {
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - (before.lastIndexOf('\n') + 1) + 1;
    super(`${message}: line ${line} column ${column} (char ${position})`);
    this.name = 'PythonJsonSyntaxError';
    this.position = position;
  }
}

/**
 * Deepest nesting of arrays and objects accepted. Python's `json.loads` fails near 1 000 levels
 * (RecursionError); here the limit is ours, with our own message, so that a peer cannot drive
 * the parser's recursion into the engine's stack.
 */
export const MAX_JSON_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly keepInts: boolean,
  ) {}

  parseDocument(): PythonJson {
    this.skipSpace();
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.text.length) throw this.error('Extra data');
    return value;
  }

  private error(message: string, at = this.pos): PythonJsonSyntaxError {
    return new PythonJsonSyntaxError(message, this.text, at);
  }

  private skipSpace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(): PythonJson {
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
    }
    if (t.startsWith('null', this.pos)) return this.literal(4, null);
    if (t.startsWith('true', this.pos)) return this.literal(4, true);
    if (t.startsWith('false', this.pos)) return this.literal(5, false);
    if (t.startsWith('NaN', this.pos)) return this.literal(3, NaN);
    if (t.startsWith('Infinity', this.pos)) return this.literal(8, Infinity);
    if (t.startsWith('-Infinity', this.pos)) return this.literal(9, -Infinity);
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(t);
    if (m === null) throw this.error('Expecting value');
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      return this.keepInts ? new PythonInt(m[0].startsWith('-0') ? '0' : m[0]) : Number(m[0]);
    }
    return Number(m[0]);
  }

  private literal<T extends PythonJson>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) throw this.error(`Nesting deeper than ${MAX_JSON_DEPTH} levels`);
  }

  private parseObject(): PythonJson {
    const start = this.pos;
    this.enter();
    this.pos++;
    const out: Record<string, PythonJson> = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') throw this.error('Expecting property name enclosed in double quotes');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.error("Expecting ':' delimiter");
      this.pos++;
      this.skipSpace();
      // defineProperty: a "__proto__" key is data, as it is for Python.
      Object.defineProperty(out, key, { value: this.parseValue(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos++;
        this.depth--;
        return out;
      }
      if (c !== ',') throw this.error(this.pos >= this.text.length ? 'Unterminated object' : "Expecting ',' delimiter", this.pos >= this.text.length ? start : this.pos);
      this.pos++;
      this.skipSpace();
    }
  }

  private parseArray(): PythonJson {
    this.enter();
    this.pos++;
    const out: PythonJson[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      out.push(this.parseValue());
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        this.depth--;
        return out;
      }
      if (c !== ',') throw this.error("Expecting ',' delimiter");
      this.pos++;
      this.skipSpace();
    }
  }

  private parseString(): string {
    const t = this.text;
    const begin = this.pos;
    let p = this.pos + 1;
    let out = '';
    let chunk = p;
    for (;;) {
      if (p >= t.length) throw this.error('Unterminated string starting at', begin);
      const c = t.charCodeAt(p);
      if (c === 0x22) break;
      if (c < 0x20) throw this.error('Invalid control character at', p);
      if (c !== 0x5c) {
        p++;
        continue;
      }
      out += t.slice(chunk, p);
      const e = t[p + 1];
      if (e === 'u') {
        const hex = t.slice(p + 2, p + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('Invalid \\uXXXX escape', p + 1);
        out += String.fromCharCode(parseInt(hex, 16));
        p += 6;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        p += 2;
      } else {
        if (e === undefined) throw this.error('Unterminated string starting at', begin);
        throw this.error('Invalid \\escape', p);
      }
      chunk = p;
    }
    out += t.slice(chunk, p);
    this.pos = p + 1;
    return out;
  }
}

/**
 * Parses JSON text as Python's `json.loads` does: standard JSON plus the tokens `NaN`, `Infinity`
 * and `-Infinity`, leading/trailing whitespace, last duplicate key wins.
 * @throws {@link PythonJsonSyntaxError} for anything else.
 *
 * @example
 * ```ts
 * pythonJsonLoads('{"y": NaN}'); // { y: NaN }
 * ```
 */
export function pythonJsonLoads(text: string, options: PythonJsonLoadsOptions = {}): PythonJson {
  if (!options.keepInts) {
    // The engine's own parser is far faster; the tokens it lacks are rare and take the slow path.
    try {
      return JSON.parse(text) as PythonJson;
    } catch {
      // fall through to the full parser, which also explains the problem
    }
  }
  return new Parser(text, options.keepInts ?? false).parseDocument();
}
