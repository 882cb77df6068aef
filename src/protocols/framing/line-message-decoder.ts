import { DelimitedDecoder, type DelimitedDecoderOptions } from './delimited.js';
import { MessageDecoder } from './message-decoder.js';

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
 * A protocol's decoder over delimiter-terminated lines, one message per line: a protocol only
 * says what one line is, without its delimiter (`decodeFrame`), the way
 * `LengthPrefixedMessageDecoder` does for length-prefixed frames. A `ProtocolError` thrown there
 * ends the stream: the decoder is poisoned.
 */
export abstract class LineMessageDecoder<T> extends MessageDecoder<T> {
  constructor(options: LineMessageDecoderOptions) {
    const { oversizedLines, ...framing } = options;
    // The callback runs during a push, once the subclass is constructed and the sink is set.
    const lines: DelimitedDecoder = new DelimitedDecoder({
      ...framing,
      onOversizedLine: oversizedLines === 'deliver' ? (length) => this.sink!(this.decodeOversizedLine(length)) : undefined,
    });
    super(lines);
  }

  /**
   * The message for a discarded over-long line of `length` bytes, with `oversizedLines: 'deliver'`.
   * Subclasses that deliver such lines override it; the default is never called otherwise.
   */
  protected decodeOversizedLine(length: number): T {
    throw new RangeError(`a line of ${length} bytes was discarded, but this decoder has no message for it`);
  }
}
