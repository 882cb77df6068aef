/**
 * The processes of `npm run bench:rsb`, one role per process:
 *   relay                                   raw baseline bus server (prints `raw listening on ...`)
 *   listener <rsb|raw> <port> <count>       counts events; prints `ready`, then a JSON result
 *   informer <rsb|raw> <port> <count> <size>
 *   rpc-server <rsb|raw> <port>             echo method at /bench/rpc/echo/; prints `ready`
 *   rpc-client <rsb|raw> <port> <calls> <warmup> <size>   prints a JSON list of latencies (µs)
 */
import { loadCompiled } from '../support/compiled.js';
import { RawClient, startRawRelay } from './raw-peer.js';
import { arrivalCounter, report } from '../support/arrival-counter.js';

// The participants run compiled (`npm run bench:rsb` builds first), as users run them.
const { Informer, Listener, LocalServer, RemoteServer } = await loadCompiled<typeof import('../../src/actors/rsb/index.js')>('actors/rsb/index.js');

const [role, kind, portText, ...rest] = process.argv.slice(2);
const port = Number(portText);
const rsbOptions = { socket: { host: '127.0.0.1', port, server: 'client' as const } };



async function listener(count: number): Promise<void> {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const arrived = arrivalCounter(count, (result) => {
    report(result);
    finish();
  });
  if (kind === 'raw') {
    const client = await RawClient.connect(port, (body) => arrived(body.length));
    report('ready');
    await done;
    client.close();
  } else {
    const listener = await Listener.create('/bench/events', rsbOptions);
    listener.addHandler((event) => arrived((event.data as Uint8Array).length));
    report('ready');
    await done;
    await listener.close();
  }
}

async function informer(count: number, size: number): Promise<void> {
  const payload = new Uint8Array(size).fill(0x61);
  const cpu = process.cpuUsage();
  if (kind === 'raw') {
    const client = await RawClient.connect(port, () => undefined);
    for (let i = 0; i < count; i++) {
      const blocked = client.send(payload);
      if (blocked) await blocked;
    }
    client.close();
  } else {
    const informer = await Informer.create('/bench/events', rsbOptions);
    for (let i = 0; i < count; i++) await informer.publish(payload);
    await informer.close();
  }
  const used = process.cpuUsage(cpu);
  report({ cpuMicrosPerEvent: (used.user + used.system) / count });
}

async function rpcServer(): Promise<void> {
  if (kind === 'raw') {
    const client: RawClient = await RawClient.connect(port, (body) => void client.send(body));
  } else {
    const server = await LocalServer.create('/bench/rpc', rsbOptions);
    await server.addMethod('echo', (data) => data);
  }
  report('ready');
}

async function rpcClient(calls: number, warmup: number, size: number): Promise<void> {
  const payload = new Uint8Array(size).fill(0x62);
  const latencies: number[] = [];
  if (kind === 'raw') {
    let answer!: () => void;
    const client = await RawClient.connect(port, () => answer());
    for (let i = 0; i < warmup + calls; i++) {
      const start = process.hrtime.bigint();
      await new Promise<void>((resolve) => {
        answer = resolve;
        void client.send(payload);
      });
      if (i >= warmup) latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    client.close();
  } else {
    const remote = await RemoteServer.create('/bench/rpc', { ...rsbOptions, timeoutMs: 10_000 });
    for (let i = 0; i < warmup + calls; i++) {
      const start = process.hrtime.bigint();
      await remote.call('echo', payload);
      if (i >= warmup) latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    await remote.close();
  }
  report(latencies);
}

switch (role) {
  case 'relay':
    process.stdout.write(`raw listening on 127.0.0.1:${await startRawRelay()}\n`);
    break;
  case 'listener':
    await listener(Number(rest[0]));
    break;
  case 'informer':
    await informer(Number(rest[0]), Number(rest[1]));
    break;
  case 'rpc-server':
    await rpcServer();
    break;
  case 'rpc-client':
    await rpcClient(Number(rest[0]), Number(rest[1]), Number(rest[2]));
    break;
  default:
    throw new Error(`unknown role ${role}`);
}
