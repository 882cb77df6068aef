/**
 * One line received by a socket-oneline server, as its handlers see it.
 *
 * `text` keeps every byte 0x00-0x7F as it is (CR, NUL and spaces included) and drops every byte
 * 0x80-0xFF, exactly as the original builds its command string; `invalid` is set when a byte
 * was dropped or the line was too long.
 */
export interface OnelineCommand {
  readonly text: string;
  readonly invalid: boolean;
  /** Why the line is invalid, when it is: a dropped byte or a line over the limit. */
  readonly problem?: 'NON_ASCII' | 'LINE_TOO_LONG';
  /** Length in bytes of the line as received, without the terminator. */
  readonly byteLength: number;
}
