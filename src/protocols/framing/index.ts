/**
 * Framing shared by every protocol: incremental decoders and encoders for length-prefixed frames
 * (2-byte LE, 4-byte LE, 10-digit decimal headers) and delimiter-terminated lines.
 * @packageDocumentation
 */
export type { FrameDecoder, FrameEncoder, FrameSink, FramingLimits } from './types.js';
export { DECIMAL_10, UINT16_LE, UINT32_LE, type LengthHeader } from './length-header.js';
export {
  forEachLengthPrefixed,
  LengthPrefixedDecoder,
  LengthPrefixedEncoder,
  type LengthPrefixedDecoderOptions,
} from './length-prefixed.js';
export { MessageDecoder } from './message-decoder.js';
export { LengthPrefixedMessageDecoder } from './length-prefixed-message-decoder.js';
export { LineMessageDecoder, type LineMessageDecoderOptions } from './line-message-decoder.js';
export { PoisoningDecoder } from './poisoning-decoder.js';
export { DelimitedDecoder, DelimitedEncoder, type DelimitedDecoderOptions } from './delimited.js';
