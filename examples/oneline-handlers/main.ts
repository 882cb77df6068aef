/**
 * A socket-oneline server with handlers of its own, and a client that talks to it.
 *
 *   npx tsx examples/oneline-handlers/main.ts            # runs both and prints the dialogue
 *   npx tsx examples/oneline-handlers/main.ts --serve    # only the server, on 127.0.0.1:5001
 *
 * The server answers like an instrument: `set <name> <value>` stores a value, `get <name>`
 * reads it back, `list` answers several lines, `wait <ms>` answers after a delay (async
 * handlers keep answers in order), and anything else gets `nak - unknown cmd`.
 */
import { CommandRegistry, OnelineClient, OnelineServer } from '../../src/actors/oneline/index.js';

function instrumentHandlers(): CommandRegistry {
  const values = new Map<string, string>();
  return new CommandRegistry()
    .register('set', ({ args }) => {
      if (args.length !== 2) return 'nak - usage: set <name> <value>';
      values.set(args[0], args[1]);
      return 'ack';
    })
    .register('get', ({ args }) => values.get(args[0] ?? '') ?? 'nak - no such value')
    .register('list', () => (values.size === 0 ? ['(empty)'] : [...values].map(([k, v]) => `${k}=${v}`)))
    .register('wait', async ({ args }) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(args[0]) || 0, 1000)));
      return 'waited';
    })
    .setInvalidHandler(({ problem }) => `nak - invalid line (${problem})`)
    .setFallback(() => 'nak - unknown cmd');
}

async function main(): Promise<void> {
  const serveOnly = process.argv.includes('--serve');
  const server = new OnelineServer({ port: serveOnly ? 5001 : 0, handlers: instrumentHandlers() });
  const { host, port } = await server.start();
  console.log(`oneline listening on ${host}:${port}`);
  if (serveOnly) {
    await server.stopped; // until a client sends `shutdown`
    return;
  }
  const client = new OnelineClient({ port });
  if (!(await client.connect())) throw new Error('server did not answer ping');
  for (const command of ['set gain 3.5', 'set offset -1', 'get gain', 'wait 50', 'list', 'frobnicate']) {
    client.send(command);
    const lines = command === 'list' ? [await client.recv(), await client.recv()] : [await client.recv()];
    console.log(`> ${command}\n${lines.map((l) => `< ${l}`).join('\n')}`);
  }
  await client.shutdown();
  await server.stopped;
  console.log('server stopped');
}

await main();
