import { ActorwireError } from '../errors.js';

/** The errno-style code of `err` or of an error in its cause chain (`ECONNREFUSED`, ...). */
function systemCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

/** What a user can do about a system error the CLI met, if there is something to say. */
const ADVICE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listens there: start the server first, or give its --host and --port',
  EADDRINUSE: 'that port is taken: stop what uses it, or give another port (--port, --monitor; 0 picks a free one)',
  EADDRNOTAVAIL: 'that address is not one of this machine\'s: give --host 127.0.0.1 or an address of an interface here',
  EACCES: 'permission denied: ports below 1024 need privileges, and files need read or write access',
  ENOENT: 'no such file or directory: check the path',
  EISDIR: 'that path is a directory: give a file',
  ETIMEDOUT: 'the peer did not answer in time: check the address and any firewall in between',
  ECONNRESET: 'the peer closed the connection abruptly: is it a server of this protocol?',
};

/** Codes of `err` and the errors in its cause chain that are actorwire's own (`CONNECT_FAILED`, `CLOSED`, ...). */
function ownCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (e instanceof ActorwireError) codes.push(e.code);
  return codes;
}

/** Advice for a dial that reached a listener which did not complete the protocol's handshake. */
const NOT_THIS_PROTOCOL =
  'something listens there but ended the connection or failed the handshake: check that --host and --port name a server of this protocol, and that it has a free slot';

/**
 * One line for an error a command ended with: its code and message (`CONNECT_FAILED: ...`), and
 * what the user can do about it when the cause is a common one (a server not running, a port
 * in use, a missing file).
 */
export function describeFailure(err: unknown): string {
  const message = err instanceof ActorwireError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  const code = systemCode(err);
  const codes = ownCodes(err);
  const handshake = codes[0] === 'CONNECT_FAILED' && codes.slice(1).some((c) => c === 'CLOSED' || c.startsWith('HANDSHAKE_'));
  const advice = code !== undefined ? ADVICE[code] : handshake ? NOT_THIS_PROTOCOL : undefined;
  return advice === undefined ? message : `${message} (${advice})`;
}
