// One command: `npx tsx examples/rsb-pubsub/main.ts`.
// Runs a bus server in this process, then a listener and an informer as two separate processes
// that join it as bus clients, exactly as RSB programs in other languages could.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { acquireBus } from '../../src/actors/rsb/index.js';

const lease = await acquireBus({ transport: 'socket', host: '127.0.0.1', port: Number(process.env.PORT ?? 0), server: 'server' });
const { port } = lease.bus.transport.address!;
console.log(`bus server on 127.0.0.1:${port}`);
const env = { ...process.env, RSB_TRANSPORT_SOCKET_HOST: '127.0.0.1', RSB_TRANSPORT_SOCKET_PORT: String(port), RSB_TRANSPORT_SOCKET_SERVER: '0' };

function start(name: string) {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL(`./${name}.ts`, import.meta.url))], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => console.log(`[${name}] ${line}`));
  return { child, lines };
}

const listener = start('listener');
// Start the informer only once the listener is on the bus, or it would miss the first events.
await new Promise<void>((resolve) => listener.lines.on('line', (line) => line === 'listener ready' && resolve()));
const informer = start('informer');
const [[informerCode], [listenerCode]] = await Promise.all([once(informer.child, 'exit'), once(listener.child, 'exit')]);
await lease.release();
process.exitCode = informerCode === 0 && listenerCode === 0 ? 0 : 1;
