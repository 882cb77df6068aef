import { DelimitedDecoder, type DelimitedDecoderOptions } from './delimited.js';
import { PoisoningDecoder } from './poisoning-decoder.js';
import type { FrameSink } from './types.js';

/** Options of {@link LineMessageDecoder}. */
export interface LineMessageDecoderOptions extends Omit<DelimitedDecoderOptions, 'onOversizedLine'> {
  /**
   * What a line longer than `maxFrameBytes` does: `deliver` it, once its delimiter arrives, as
   * the message `decodeOversizedLine` makes of its length (its bytes are discarded and the stream
   * goes on), or `fail` the stream with `LINE_TOO_LONG` as soon as the limit is passed (default).
   */
  readonly oversizedLines?: 'deliver' | 'fail';
}

/**
 * A protocol's decoder over delimiter-terminated lines, one message per line: the line framing,
 * the delivery and the poisoning live here, and a protocol only says what one line is
 * ({@link decodeLine}), the way {@link LengthPrefixedMessageDecoder} does for length-prefixed
 * frames. A `ProtocolError` thrown there ends the stream: the decoder is poisoned.
 */
export abstract class LineMessageDecoder<T> extends PoisoningDecoder<T> {
  private sink: FrameSink<T> | undefined;
  private readonly lines: DelimitedDecoder;
  // Made once per decoder, not per chunk.
  private readonly onLine = (line: Uint8Array): void => this.sink!(this.decodeLine(line));

  constructor(options: LineMessageDecoderOptions) {
    super();
    const { oversizedLines, ...framing } = options;
    // The callback runs during a push, when the subclass is constructed and the sink is set.
    const onOversizedLine = oversizedLines === 'deliver' ? (length: number) => this.sink!(this.decodeOversizedLine(length)) : undefined;
    this.lines = new DelimitedDecoder({ ...framing, onOversizedLine });
  }

  get pendingBytes(): number {
    return this.lines.pendingBytes;
  }

  end(): number {
    return this.lines.end();
  }

  protected consume(chunk: Uint8Array, sink: FrameSink<T>): void {
    this.sink = sink;
    this.lines.push(chunk, this.onLine);
  }

  /** The message one line holds (without its delimiter); throws a `ProtocolError` when the stream cannot go on. */
  protected abstract decodeLine(line: Uint8Array): T;

  /**
   * The message for a discarded over-long line of `length` bytes, with `oversizedLines: 'deliver'`.
   * Subclasses that deliver such lines override it; the default is never called otherwise.
   */
  protected decodeOversizedLine(length: number): T {
    throw new RangeError(`a line of ${length} bytes was discarded, but this decoder has no message for it`);
  }
}
