import { LineMessageDecoder } from '../framing/line-message-decoder.js';
import type { Protocol } from '../protocol.js';
import type { OnelineCommand } from './command.js';
import { asciiCommandText, decodeResponseLine } from './text.js';

/** Options of the socket-oneline protocols. */
export interface OnelineProtocolOptions {
  /**
   * Longest line accepted, in bytes without the terminator. Default 64 KiB. The original has no
   * limit; a longer line is discarded up to its 0x0A and delivered as an invalid command with
   * problem `LINE_TOO_LONG` (server side), or ends the connection (client side).
   */
  maxLineBytes?: number;
  /** Server side: drop one CR before the LF (opt-in; the original keeps it). Default false. */
  acceptCrlf?: boolean;
}

/** Default {@link OnelineProtocolOptions.maxLineBytes}. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

function lineFrame(text: string, alloc: (size: number) => Buffer): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const out = alloc(length + 1);
  out.write(text, 0, 'utf8');
  out[length] = LF;
  return out;
}

/** Encodes one line: UTF-8 of `text` followed by 0x0A, as both original sides send it. A new buffer each call. */
export function encodeLine(text: string): Uint8Array {
  return lineFrame(text, Buffer.allocUnsafe);
}

// Line protocols repeat a few short answers (`pong`, `ack`, ...) again and again. Frames handed
// to a connection are never written to again, so one protocol value may give the same frame for
// the same short line every time; the cache belongs to that value, not to the module.
const CACHEABLE_LENGTH = 64;
const CACHE_ENTRIES = 512;

/** The encoder of one protocol value: {@link encodeLine} with its own cache of short lines. */
class LineEncoder {
  private readonly encoded = new Map<string, Uint8Array>();
  readonly encode = (text: string): Uint8Array => {
    if (text.length > CACHEABLE_LENGTH) return encodeLine(text);
    const hit = this.encoded.get(text);
    if (hit) return hit;
    // Its own memory rather than a slice that would pin an 8 KiB pool block.
    const out = lineFrame(text, Buffer.allocUnsafeSlow);
    if (this.encoded.size >= CACHE_ENTRIES) this.encoded.clear();
    this.encoded.set(text, out);
    return out;
  };
}

class CommandDecoder extends LineMessageDecoder<OnelineCommand> {
  private readonly acceptCrlf: boolean;

  constructor(options: OnelineProtocolOptions) {
    super({ delimiter: LF, maxFrameBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, oversizedLines: 'deliver' });
    this.acceptCrlf = options.acceptCrlf ?? false;
  }

  protected decodeFrame(line: Uint8Array): OnelineCommand {
    const body = this.acceptCrlf && line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
    const { text, dropped } = asciiCommandText(body);
    return dropped ? { text, invalid: true, problem: 'NON_ASCII', byteLength: line.length } : { text, invalid: false, byteLength: line.length };
  }

  protected override decodeOversizedLine(length: number): OnelineCommand {
    return { text: '', invalid: true, problem: 'LINE_TOO_LONG', byteLength: length };
  }
}

class ResponseDecoder extends LineMessageDecoder<string> {
  constructor(options: OnelineProtocolOptions) {
    super({ delimiter: LF, maxFrameBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
  }

  protected decodeFrame(line: Uint8Array): string {
    return decodeResponseLine(line);
  }
}

/** The server side: lines in as {@link OnelineCommand}s, responses out as text. */
export function onelineServerProtocol(options: OnelineProtocolOptions = {}): Protocol<OnelineCommand, string> {
  return {
    name: 'oneline',
    createDecoder: () => new CommandDecoder(options),
    encode: new LineEncoder().encode,
  };
}

/** The client side: response lines in as UTF-8 text (unstripped), commands out as text. */
export function onelineClientProtocol(options: OnelineProtocolOptions = {}): Protocol<string, string> {
  return {
    name: 'oneline',
    createDecoder: () => new ResponseDecoder(options),
    encode: new LineEncoder().encode,
  };
}
