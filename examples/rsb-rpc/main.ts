// One command: `npx tsx examples/rsb-rpc/main.ts`.
// Starts the RPC server process (which also hosts the bus), then the client process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

function start(name: string, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL(`./${name}.ts`, import.meta.url))], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => console.log(`[${name}] ${line}`));
  return { child, lines };
}

const server = start('server');
const port = await new Promise<string>((resolve) => server.lines.on('line', (line) => line.startsWith('ready ') && resolve(line.slice(6))));
const client = start('client', { ...process.env, RSB_TRANSPORT_SOCKET_HOST: '127.0.0.1', RSB_TRANSPORT_SOCKET_PORT: port, RSB_TRANSPORT_SOCKET_SERVER: '0' });
const [clientCode] = await once(client.child, 'exit');
server.child.kill('SIGTERM');
const [serverCode] = await once(server.child, 'exit');
process.exitCode = clientCode === 0 && serverCode === 0 ? 0 : 1;
