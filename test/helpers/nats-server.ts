import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { Bus } from '../../src/actors/bus/bus.js';
import { EventId, Scope, nowMicros } from '../../src/protocols/rsb/index.js';

/** Where Debian's `nats-server` lives (`NATS_SERVER` overrides). */
export const NATS_SERVER_BIN = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

/** True when a nats-server binary is installed (the NATS tests need one). */
export function natsServerAvailable(): boolean {
  return existsSync(NATS_SERVER_BIN);
}

/** A free TCP port on 127.0.0.1 (bound and released; the OS does not hand it out again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** Client port; default a free one. Kept across restarts. */
  readonly port?: number;
  /** Extra command-line arguments (cluster, limits). */
  readonly args?: readonly string[];
  /** Resolve only once this many `Route connection created` lines have been logged. */
  readonly routes?: number;
}

/** A nats-server child process on 127.0.0.1. */
export class NatsServerProcess {
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    /** The client port. */
    readonly port: number,
    private readonly args: readonly string[],
    private readonly routes: number,
  ) {}

  /** Starts a server and resolves once it accepts clients. */
  static async start(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
    const server = new NatsServerProcess(options.port ?? (await freePort()), options.args ?? [], options.routes ?? 0);
    await server.start();
    return server;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** What the server has logged since it was (re)started. */
  get output(): string {
    return this.log;
  }

  /** (Re)starts the process on the same port; resolves once it is ready. */
  start(): Promise<void> {
    if (this.child) throw new Error('nats-server is running');
    this.log = '';
    const child = spawn(NATS_SERVER_BIN, ['-a', '127.0.0.1', '-p', String(this.port), ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      const check = (chunk: Buffer): void => {
        this.log += chunk.toString();
        const routes = this.log.split('Route connection created').length - 1;
        if (this.log.includes('Server is ready') && routes >= this.routes) {
          child.stderr!.off('data', check);
          child.stderr!.on('data', (more: Buffer) => (this.log += more.toString()));
          resolve();
        }
      };
      child.stderr!.on('data', check);
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        reject(new Error(`nats-server exited (${code ?? signal}) before it was ready:\n${this.log}`));
      });
    });
  }

  /** Stops the process (`SIGKILL` simulates a crash) and waits for its exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Suspends (`SIGSTOP`) or resumes (`SIGCONT`) the process. */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }
}

/** Starts a full-mesh cluster of `size` servers on loopback ports, ready once every route is up. */
export async function startNatsCluster(size = 3): Promise<NatsServerProcess[]> {
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = clusterPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  return Promise.all(
    clusterPorts.map((clusterPort) =>
      NatsServerProcess.start({
        args: ['--cluster_name', 'actorwire-test', '--cluster', `nats://127.0.0.1:${clusterPort}`, '--routes', routes],
        routes: size - 1,
      }),
    ),
  );
}

/**
 * Publishes probes on `/probe/` from `from` (as `sender`, from sequence number `firstSequence`)
 * until `to` hears one; resolves with the next free sequence number. Across a cluster, a
 * subscription reaches the other nodes some time after the local one has it: this waits for
 * that without guessing how long it takes.
 */
export async function untilHeard(from: Bus, to: Bus, sender: Uint8Array, firstSequence = 0): Promise<number> {
  const scope = Scope.parse('/probe/');
  let heard = false;
  let wake: (() => void) | undefined;
  const unsubscribe = to.subscribe(scope, () => {
    heard = true;
    wake?.();
  });
  let seq = firstSequence;
  try {
    while (!heard) {
      const now = nowMicros();
      from.publish({ eventId: new EventId(sender, seq++), scope, wireSchema: 'void', data: new Uint8Array(0), causes: [], metaData: { createTime: now, sendTime: now, userInfos: [], userTimes: [] } });
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 25);
      });
    }
  } finally {
    unsubscribe();
  }
  return seq;
}

/**
 * Starts a nats-server before the tests of the enclosing `describe` and stops it after them;
 * returns a getter for it (call it inside tests).
 */
export function useNatsServer(options: NatsServerOptions = {}): () => NatsServerProcess {
  let server: NatsServerProcess | undefined;
  beforeAll(async () => {
    server = await NatsServerProcess.start(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => server!;
}
