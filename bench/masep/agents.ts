/**
 * Child process of `bench/masep.ts`: `count` agents on 127.0.0.1:`port`, one of
 * - `masep`: masep interfaces (full decoding of each observation, a policy, an encoded action);
 * - `masep-bytes`: byte-level masep interfaces (hello, DEFINE, REGISTER, then a pre-encoded ACTION
 *   for every observation frame, never parsed): the engine's own cost, without the agents';
 * - `raw`: `node:net` ping-pong peers with the same 2-byte framing that answer every frame with
 *   `actionHex`.
 * Exits when the server closes.
 *
 *   tsx bench/masep/agents.ts <masep|masep-bytes|raw> <port> <count> [actionHex]
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { MasepInterface } from '../../src/actors/masep/index.js';
import { actionMessage, defineMessage, encodeMasepFrame, registerMessage } from '../../src/protocols/masep/index.js';
import { BENCH_GAME, tickAction } from './bench-game.js';

/** Calls `onFrame` with each complete 2-byte-framed payload of the socket's stream. */
function onFrames(socket: ReturnType<typeof connect>, onFrame: (payload: Buffer) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 2) {
      const length = pending.readUInt16LE(offset);
      if (pending.length - offset < 2 + length) break;
      onFrame(pending.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    pending = pending.subarray(offset);
  });
}

const OBSERVATION_PREFIX = Buffer.from('<Message msg_type="observation"', 'latin1');

const [mode, portText, countText, actionHex = ''] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);

if (mode === 'masep') {
  const agents = await Promise.all(
    Array.from({ length: count }, () =>
      MasepInterface.connect({ game: BENCH_GAME, port, policy: (o) => tickAction(o.state.envStep) }),
    ),
  );
  await Promise.all(agents.map((a) => a.done));
} else if (mode === 'masep-bytes') {
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const id = randomUUID();
          const reply = encodeMasepFrame({ kind: 'message', message: actionMessage(id, tickAction(1)) });
          const socket = connect({ port, host: '127.0.0.1', noDelay: true });
          socket.write(encodeMasepFrame({ kind: 'hello', ident: id }));
          socket.write(encodeMasepFrame({ kind: 'message', message: defineMessage(id, BENCH_GAME) }));
          socket.write(encodeMasepFrame({ kind: 'message', message: registerMessage(id, 'Actor') }));
          onFrames(socket, (payload) => {
            if (payload.subarray(0, OBSERVATION_PREFIX.length).equals(OBSERVATION_PREFIX)) socket.write(reply);
          });
          socket.on('end', () => socket.end());
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        }),
    ),
  );
} else {
  const reply = Buffer.from(actionHex, 'hex');
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect({ port, host: '127.0.0.1', noDelay: true });
          onFrames(socket, () => socket.write(reply));
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        }),
    ),
  );
}
