/** Text conversions of socket-oneline, each matching what the Python original does. */

/**
 * Builds the command string the original builds from a line: bytes 0x00-0x7F become the same
 * characters, bytes 0x80-0xFF are dropped. Returns the text and whether anything was dropped.
 */
export function asciiCommandText(line: Uint8Array): { text: string; dropped: boolean } {
  let highBytes = 0;
  for (let i = 0; i < line.length; i++) if (line[i] >= 0x80) highBytes++;
  const view = Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.length);
  if (highBytes === 0) return { text: view.toString('latin1'), dropped: false };
  const kept = Buffer.allocUnsafe(line.length - highBytes);
  let n = 0;
  for (let i = 0; i < line.length; i++) if (line[i] < 0x80) kept[n++] = line[i];
  return { text: kept.toString('latin1'), dropped: true };
}

// Python's str.strip() with no argument removes str.isspace() characters; JavaScript's trim()
// uses a different set (it keeps \x1c-\x1f and \x85, and removes \ufeff).
const PYTHON_WHITESPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING = new RegExp(`^[${PYTHON_WHITESPACE}]+`);
const TRAILING = new RegExp(`[${PYTHON_WHITESPACE}]+$`);

/** Python's `str.strip()`: what the original client applies to every response line. */
export function pythonStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}

/** Decodes a response line as UTF-8, replacing invalid sequences (the original client raises). */
export function decodeResponseLine(line: Uint8Array): string {
  const view = Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.length);
  return view.toString('utf8');
}
