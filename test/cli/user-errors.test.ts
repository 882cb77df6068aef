import { describe, expect, it } from 'vitest';
import { ClosedError, ConnectError, HandshakeError } from '../../src/actors/errors.js';
import { describeFailure } from '../../src/cli/user-errors.js';

function systemError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('CLI failure messages', () => {
  it('say what to do about a server that is not running, a taken port, a missing file', () => {
    const refused = new ConnectError('cannot connect to obe at 127.0.0.1:1: ECONNREFUSED', { cause: systemError('ECONNREFUSED', 'connect ECONNREFUSED') });
    expect(describeFailure(refused)).toBe(
      'CONNECT_FAILED: cannot connect to obe at 127.0.0.1:1: ECONNREFUSED (nothing listens there: start the server first, or give its --host and --port)',
    );
    expect(describeFailure(systemError('EADDRINUSE', 'listen EADDRINUSE'))).toMatch(/^listen EADDRINUSE \(that port is taken: .*0 picks a free one\)\)$/);
    expect(describeFailure(systemError('ENOENT', "open 'x'"))).toMatch(/no such file or directory: check the path\)$/);
  });

  it('point at the wrong protocol when a listener ends the handshake', () => {
    for (const cause of [new ClosedError('connection ended before it opened (peer-closed)'), new HandshakeError('HANDSHAKE_FAILED', 'bad hello')]) {
      expect(describeFailure(new ConnectError('cannot connect to masep at 127.0.0.1:2', { cause }))).toMatch(/name a server of this protocol/);
    }
  });

  it('leave other errors as code and message', () => {
    expect(describeFailure(new ClosedError())).toBe('CLOSED: the connection is closed');
    expect(describeFailure('text')).toBe('text');
  });
});
