/**
 * socket-oneline: newline-terminated text commands and responses.
 * @packageDocumentation
 */
export type { OnelineCommand } from './command.js';
export {
  DEFAULT_MAX_LINE_BYTES,
  encodeLine,
  onelineClientProtocol,
  onelineServerProtocol,
  type OnelineProtocolOptions,
} from './protocol.js';
export { asciiCommandText, decodeResponseLine, pythonStrip } from './text.js';
