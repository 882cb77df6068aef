import { create, createFileRegistry, fromBinary, toBinary, toJson, type DescMessage, type FileRegistry, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { fromText, toText } from '@bufbuild/protobuf/txtpb';
import { ConverterRegistry, EventId, protobufConverter } from '../../../protocols/rsb/index.js';
import { RsbToolError } from './errors.js';

/** A protobuf wire schema: `.` and a message's full name (`.rsb.protocol.EventId`). */
export type ProtobufTypeName = `.${string}`;

/** True when `schema` names a protobuf message (a leading `.`), not the raw-bytes schema `.*`. */
export function isProtobufTypeName(schema: string): schema is ProtobufTypeName {
  return schema.length > 1 && schema.startsWith('.') && schema !== '.*';
}

/**
 * Text longer than this gets no position in its {@link ProtobufTextError} (finding it re-parses
 * prefixes of the text, see {@link locateFailure}).
 */
const MAX_LOCATED_TEXT = 4096;

/**
 * A protobuf text-format payload that does not parse as its type, or parses but lacks a required
 * field (code `RSB_BAD_PROTOBUF_TEXT`). `offset` (0-based, in UTF-16 units), `line` and `column`
 * (1-based) point at the token where parsing failed, or at the end of a text that ended too
 * early; they are absent for a missing required field and for text longer than 4 096 characters.
 */
export class ProtobufTextError extends RsbToolError {
  constructor(
    /** The wire schema the text was read as. */
    readonly typeName: ProtobufTypeName,
    /** What the parser said, without the position. */
    readonly reason: string,
    readonly offset: number | undefined,
    readonly line: number | undefined,
    readonly column: number | undefined,
    options?: ErrorOptions,
  ) {
    const at = line === undefined ? '' : ` at line ${line}, column ${column}`;
    super('RSB_BAD_PROTOBUF_TEXT', `not ${typeName} in protobuf text format${at}: ${reason}`, options);
  }
}

/**
 * A payload of a registered protobuf type, decoded, as the RSB logger shows it (docs/RSB.md,
 * "rsb logger"): protobuf text in the `detailed` style and, on one line, in `compact`; protobuf's
 * JSON mapping in `json`; its bytes, untouched, in `payload`.
 */
export class ProtobufPayload {
  constructor(
    /** The wire schema, `.package.Message`. */
    readonly typeName: ProtobufTypeName,
    /** The payload as it came. */
    readonly bytes: Uint8Array,
    private readonly desc: DescMessage,
    private readonly message: MessageShape<DescMessage>,
  ) {}

  /** The message in protobuf text format, a field per line, nested messages indented (no final newline). */
  toText(): string {
    return toText(this.desc, this.message).replace(/\n$/, '');
  }

  /** The text format on one line: `kind: PRESSURE source { name: "a" }` (strings keep their escapes). */
  toTextLine(): string {
    return this.toText()
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .join(' ');
  }

  /** The message in protobuf's JSON mapping (`toJson` of `@bufbuild/protobuf`: 64-bit integers as text, bytes in base64, enums by name). */
  toJson(): JsonValue {
    return toJson(this.desc, this.message);
  }
}

/** How a type's parsed message becomes the value an informer sends. */
interface TextType {
  readonly desc: DescMessage;
  /** Defaults to the message itself (sent by its `protobufConverter`). */
  readonly toValue?: (message: Record<string, unknown>) => unknown;
}

/** `rsb.protocol.EventId` (docs/RSB.md, "The wire format"), the one message type registered by default. */
function eventIdType(): TextType {
  const { BYTES, UINT32 } = FieldDescriptorProto_Type;
  const required = FieldDescriptorProto_Label.REQUIRED;
  const file = create(FileDescriptorProtoSchema, {
    name: 'rsb/protocol/EventId.proto',
    package: 'rsb.protocol',
    syntax: 'proto2',
    messageType: [
      {
        name: 'EventId',
        field: [
          { name: 'sender_id', number: 1, type: BYTES, label: required, jsonName: 'senderId' },
          { name: 'sequence_number', number: 2, type: UINT32, label: required, jsonName: 'sequenceNumber' },
        ],
      },
    ],
  });
  const desc = createFileRegistry(create(FileDescriptorSetSchema, { file: [file] })).getMessage('rsb.protocol.EventId')!;
  return {
    desc,
    // The default registry sends EventId instances; the constructor checks the 16 bytes.
    toValue: (message) => new EventId(message.senderId as Uint8Array, message.sequenceNumber as number),
  };
}

function messagesOf(registry: FileRegistry): DescMessage[] {
  const messages: DescMessage[] = [];
  for (const file of registry.files) {
    const visit = (desc: DescMessage): void => {
      messages.push(desc);
      desc.nestedMessages.forEach(visit);
    };
    file.messages.forEach(visit);
  }
  return messages;
}

/**
 * The protobuf message types whose text format the RSB tools read (`rsb send`'s
 * `pb:.package.Message:{fields}` and `--type .package.Message`, docs/RSB.md "rsb send") and
 * whose payloads the logger shows decoded ({@link decode}, docs/RSB.md "rsb logger"):
 * `.rsb.protocol.EventId` always, and every message of the descriptor sets loaded
 * (`protoc --include_imports --descriptor_set_out=FILE` or `buf build -o FILE`). Parsing is
 * `@bufbuild/protobuf`'s text-format reader; required proto2 fields are checked as the binary
 * encoder checks them.
 *
 * @example
 * ```ts
 * const types = ProtobufTextTypes.withDescriptorSets([await readFile('lab.binpb')]); // protoc --descriptor_set_out
 * const value = types.parse('.lab.Reading', 'kind: PRESSURE value: 1013.25');
 * await Informer.create('/a/', { converters: types.converters() }); // then publish(value)
 * ```
 */
export class ProtobufTextTypes {
  private constructor(private readonly types: ReadonlyMap<ProtobufTypeName, TextType>) {}

  /** Only `.rsb.protocol.EventId`. */
  static builtIn(): ProtobufTextTypes {
    return new ProtobufTextTypes(new Map([['.rsb.protocol.EventId', eventIdType()]]));
  }

  /**
   * The built-in type plus every message of these serialised `google.protobuf.FileDescriptorSet`s
   * (a loaded type of the same name replaces the built-in one). Throws {@link RsbToolError}
   * `RSB_BAD_DESCRIPTOR_SET` for bytes that are not a descriptor set, or one whose imports are
   * missing (give `--include_imports` to protoc).
   */
  static withDescriptorSets(sets: readonly Uint8Array[]): ProtobufTextTypes {
    const types = new Map(ProtobufTextTypes.builtIn().types);
    for (const [index, bytes] of sets.entries()) {
      let registry: FileRegistry;
      try {
        registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
      } catch (err) {
        throw new RsbToolError('RSB_BAD_DESCRIPTOR_SET', `descriptor set ${index + 1} does not load: ${(err as Error).message}`, { cause: err });
      }
      for (const desc of messagesOf(registry)) types.set(`.${desc.typeName}`, { desc });
    }
    return new ProtobufTextTypes(types);
  }

  /** The wire schemas of the registered message types, sorted. */
  get typeNames(): ProtobufTypeName[] {
    return [...this.types.keys()].sort();
  }

  /** Whether `typeName` (`.package.Message`) is registered. */
  has(typeName: string): typeName is ProtobufTypeName {
    return this.types.has(typeName as ProtobufTypeName);
  }

  /**
   * A registry with the default converters and one for each loaded message type, for the
   * participant that sends what {@link parse} returns.
   */
  converters(): ConverterRegistry {
    const registry = ConverterRegistry.withDefaults();
    for (const type of this.types.values()) if (type.toValue === undefined) registry.register(protobufConverter(type.desc));
    return registry;
  }

  /**
   * Decodes a payload whose wire schema is a registered message type; `undefined` for any other
   * wire schema. Throws {@link RsbToolError} `RSB_BAD_PROTOBUF_PAYLOAD` for bytes that are not
   * such a message.
   */
  decode(wireSchema: string, bytes: Uint8Array): ProtobufPayload | undefined {
    const type = this.types.get(wireSchema as ProtobufTypeName);
    if (type === undefined) return undefined;
    let message: MessageShape<DescMessage>;
    try {
      message = fromBinary(type.desc, bytes);
    } catch (err) {
      throw new RsbToolError('RSB_BAD_PROTOBUF_PAYLOAD', `a payload that is not ${wireSchema}: ${(err as Error).message}`, { cause: err });
    }
    return new ProtobufPayload(wireSchema as ProtobufTypeName, bytes, type.desc, message);
  }

  /**
   * Reads `text` (protobuf text format: `field: value` pairs, nested `{ }`, `[ ]` lists, enums by
   * name, strings with C escapes) as a message of `typeName`, and returns the value to publish.
   * Throws `RSB_UNKNOWN_PROTOBUF_TYPE` for a type not registered and {@link ProtobufTextError}
   * for text that is not such a message.
   */
  parse(typeName: string, text: string): unknown {
    const type = this.types.get(typeName as ProtobufTypeName);
    if (type === undefined) {
      const known = this.typeNames.join(', ');
      throw new RsbToolError('RSB_UNKNOWN_PROTOBUF_TYPE', `${typeName} is not a registered protobuf type (registered: ${known}); load its descriptor set with --descriptor-set`);
    }
    const name = typeName as ProtobufTypeName;
    let message: Record<string, unknown>;
    try {
      message = fromText(type.desc, text) as Record<string, unknown>;
      checkRequired(type.desc, message);
    } catch (err) {
      const reason = (err as Error).message;
      const at = text.length <= MAX_LOCATED_TEXT ? locateFailure(type.desc, text, reason) : undefined;
      const { line, column } = at === undefined ? { line: undefined, column: undefined } : lineAndColumn(text, at);
      throw new ProtobufTextError(name, reason, at, line, column, { cause: err });
    }
    try {
      return type.toValue ? type.toValue(message) : message;
    } catch (err) {
      throw new ProtobufTextError(name, (err as Error).message, undefined, undefined, undefined, { cause: err });
    }
  }
}

/**
 * Throws for a required (proto2) field not set, at any depth: the binary encoder checks that, and
 * its message ("cannot encode field p.M.f to binary: required field not set") is put the way
 * the reader puts its own.
 */
function checkRequired(desc: DescMessage, message: Record<string, unknown>): void {
  try {
    toBinary(desc, message as MessageShape<DescMessage>);
  } catch (err) {
    const field = /cannot encode field (\S+) to binary: required field not set/.exec((err as Error).message)?.[1];
    throw field === undefined ? err : new Error(`required field ${field} is not set`);
  }
}

/**
 * Where parsing failed: the start of the token that made it fail, or the end of the text when
 * it ended too early; undefined for a missing required field (the text itself was read).
 *
 * The reader does not report positions, so the token is found from outside: it ends where the
 * shortest prefix of `text` that fails with the same reason ends. The reader goes left to right,
 * so a prefix that holds the whole offending token fails the same way, and a shorter one either
 * parses or fails otherwise (it ends inside or before that token).
 */
function locateFailure(desc: DescMessage, text: string, reason: string): number | undefined {
  if (reason.startsWith('required field')) return undefined;
  if (reason.includes('end of input')) return text.length;
  const opensToken = reason.startsWith('unterminated');
  for (let end = 1; end <= text.length; end++) {
    try {
      fromText(desc, text.slice(0, end));
    } catch (err) {
      if ((err as Error).message === reason) return opensToken ? end - 1 : tokenStart(text, end);
    }
  }
  return text.length;
}

/** The start of the token that ends at `end`: a word or number, a quoted string, or one mark. */
function tokenStart(text: string, end: number): number {
  const last = text[end - 1];
  if (last === '"' || last === "'") {
    for (let i = end - 2; i >= 0; i--) if (text[i] === last && text[i - 1] !== '\\') return i;
    return end - 1;
  }
  let start = end;
  while (start > 0 && /[\w.+-]/.test(text[start - 1])) start--;
  return start === end ? end - 1 : start;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
