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
  EADDRINUSE: 'that port is taken: stop what uses it, or give another --port (0 picks a free one)',
  EADDRNOTAVAIL: 'that address is not one of this machine\'s: give --host 127.0.0.1 or an address of an interface here',
  EACCES: 'permission denied: ports below 1024 need privileges, and files need read or write access',
  ENOENT: 'no such file or directory: check the path',
  EISDIR: 'that path is a directory: give a file',
  ETIMEDOUT: 'the peer did not answer in time: check the address and any firewall in between',
  ECONNRESET: 'the peer closed the connection abruptly: is it a server of this protocol?',
};

/**
 * One line for an error a command ended with: its code and message (`CONNECT_FAILED: ...`), and
 * what the user can do about it when the cause is a common one (a server not running, a port
 * in use, a missing file).
 */
export function describeFailure(err: unknown): string {
  const message = err instanceof ActorwireError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  const code = systemCode(err);
  const advice = code === undefined ? undefined : ADVICE[code];
  return advice === undefined ? message : `${message} (${advice})`;
}
