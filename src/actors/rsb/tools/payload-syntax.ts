import { Buffer } from 'node:buffer';
import { asciiString, bytesValue, float32, int32, int64, Scope, uint32, uint64 } from '../../../protocols/rsb/index.js';
import { RsbToolError } from './errors.js';
import { isProtobufTypeName, ProtobufTextTypes, type ProtobufTypeName } from './protobuf-text.js';

/** Where a payload literal may read its bytes from: stdin (`-`) and files (`#P"path"`, `@path`). */
export interface PayloadSources {
  readStdin(): Promise<Uint8Array>;
  readFile(path: string): Promise<Uint8Array>;
}

/** The wire schemas `--type` names, in the order the help lists them. */
export const PAYLOAD_TYPES = ['utf-8-string', 'ascii-string', 'bool', 'int32', 'uint32', 'int64', 'uint64', 'float', 'double', 'void', 'bytes', '.*', 'scope'] as const;

/** A wire schema `--type` names. */
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][-+]?\d+)$/;
const FILE_LITERAL = /^#P"(.*)"$/s;
/** `pb:.package.Message:REST`, the originals' protobuf literal (docs/RSB.md, "rsb send"). */
const PROTOBUF_LITERAL = /^pb:([^:]*):(.*)$/s;

let builtInTypes: ProtobufTextTypes | undefined;
function defaultTypes(): ProtobufTextTypes {
  return (builtInTypes ??= ProtobufTextTypes.builtIn());
}

function bad(message: string): never {
  throw new RsbToolError('RSB_BAD_PAYLOAD', message);
}

/** Text when the bytes are valid UTF-8, else the bytes (sent as `.*`). */
function textOrBytes(bytes: Uint8Array): string | Uint8Array {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
}

/** The file a `#P"path"` or `@path` literal names, if `text` is one. */
function fileLiteral(text: string): string | undefined {
  return FILE_LITERAL.exec(text)?.[1] ?? (text.length > 1 && text.startsWith('@') ? text.slice(1) : undefined);
}

/**
 * Reads protobuf text for `typeName`: given inline (`{fields}` or bare `fields`), or from stdin
 * (`-`) or a file (`#P"path"`, `@path`).
 */
async function protobufPayload(typeName: string, source: string, sources: PayloadSources, types: ProtobufTextTypes): Promise<unknown> {
  const file = source === '-' ? undefined : fileLiteral(source);
  let text = source;
  if (source === '-' || file !== undefined) {
    text = Buffer.from(source === '-' ? await sources.readStdin() : await sources.readFile(file!)).toString('utf8');
  } else if (source.startsWith('{') && source.endsWith('}')) {
    text = source.slice(1, -1);
  }
  return types.parse(typeName, text);
}

/**
 * Reads a payload as the original `rsb send` does where its syntax maps (docs/RSB.md, "rsb send"):
 * `true`/`false` a bool, an integer an int64, a decimal a double, `"text"` a string, `/a/b/`
 * a scope, `-` standard input and `#P"path"` (or `@path`) a file's contents: a string when they
 * are UTF-8, else bytes; `pb:.package.Message:{fields}` (or `:#P"path"`, `:@path`, `:-`) a
 * protobuf message of a type of `types` (default: `.rsb.protocol.EventId` only) read from its
 * text format. Any other text is sent as a string. No argument sends `void`.
 *
 * @example
 * ```ts
 * await parsePayload('42', sources); // 42n, sent as int64
 * await parsePayload('"42"', sources); // '42', sent as utf-8-string
 * await parsePayload('pb:.rsb.protocol.EventId:{sender_id: "0123456789abcdef" sequence_number: 7}', sources); // an EventId
 * ```
 */
export async function parsePayload(text: string | undefined, sources: PayloadSources, types: ProtobufTextTypes = defaultTypes()): Promise<unknown> {
  if (text === undefined) return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (INTEGER.test(text)) {
    const n = BigInt(text);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) bad(`${text} does not fit an int64; quote it ("${text}") to send it as a string`);
    return int64(n);
  }
  if (DECIMAL.test(text)) return Number(text);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  if (text.length > 1 && text.startsWith('/') && text.endsWith('/')) {
    try {
      return Scope.parse(text);
    } catch (err) {
      bad(`${text} looks like a scope but is not one (${(err as Error).message}); quote it ("${text}") to send it as a string`);
    }
  }
  if (text === '-') return textOrBytes(await sources.readStdin());
  const file = fileLiteral(text);
  if (file !== undefined) return textOrBytes(await sources.readFile(file));
  const protobuf = PROTOBUF_LITERAL.exec(text);
  if (protobuf !== null) {
    const [, typeName, source] = protobuf;
    if (!isProtobufTypeName(typeName)) bad(`'${typeName}' is not a protobuf type: write pb:.package.Message:{fields}`);
    return protobufPayload(typeName, source, sources, types);
  }
  return text;
}

/**
 * Reads `text` as a value of an explicit wire schema (`--type`): numbers in decimal, `bytes` and
 * `.*` as hex, a protobuf type of `types` (`.package.Message`) in its text format, or, for `-`
 * and `#P"path"`/`@path`, the raw contents of stdin or the file.
 */
export async function parseTypedPayload(
  text: string | undefined,
  type: PayloadType | ProtobufTypeName,
  sources: PayloadSources,
  types: ProtobufTextTypes = defaultTypes(),
): Promise<unknown> {
  if (type !== '.*' && isProtobufTypeName(type)) {
    if (text === undefined) bad(`give a ${type} in protobuf text format, e.g. '{field: value}'`);
    return protobufPayload(type, text, sources, types);
  }
  if (type === 'void') {
    if (text !== undefined) bad('a void value takes no argument');
    return null;
  }
  if (text === undefined) bad(`give a value of type ${type}`);
  const file = text === '-' ? undefined : fileLiteral(text);
  if (text === '-' || file !== undefined) {
    const raw = text === '-' ? await sources.readStdin() : await sources.readFile(file!);
    if (type === 'bytes') return bytesValue(raw);
    if (type === '.*') return raw;
    text = Buffer.from(raw).toString('utf8').replace(/\r?\n$/, '');
  }
  const number = (): number => {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n)) bad(`'${text}' is not a number`);
    return n;
  };
  const integer = (): bigint => {
    if (!INTEGER.test(text)) bad(`'${text}' is not an integer`);
    return BigInt(text);
  };
  const hex = (): Uint8Array => {
    if (!/^([0-9a-fA-F]{2})*$/.test(text)) bad(`'${text}' is not hex bytes (two hex digits per byte)`);
    return Uint8Array.from(Buffer.from(text, 'hex'));
  };
  switch (type) {
    case 'utf-8-string':
      return text;
    case 'ascii-string':
      return asciiString(text);
    case 'bool':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return bad(`'${text}' is not a bool (true/false/1/0)`);
    case 'int32':
      return int32(Number(integer()));
    case 'uint32':
      return uint32(Number(integer()));
    case 'int64':
      return int64(integer());
    case 'uint64':
      return uint64(integer());
    case 'float':
      return float32(number());
    case 'double':
      return number();
    case 'bytes':
      return bytesValue(hex());
    case '.*':
      return hex();
    case 'scope':
      return Scope.parse(text);
  }
}
