import { Bus } from '../../../src/actors/bus/bus.js';
import type { SocketBusTuning } from '../../../src/actors/bus/bus-options.js';
import { SocketBusClient } from '../../../src/actors/bus/socket-bus-client.js';
import { SocketBusServer } from '../../../src/actors/bus/socket-bus-server.js';
import { EventId, Scope, nowMicros, type Notification } from '../../../src/protocols/rsb/index.js';

/** A bus server on 127.0.0.1, a free port, not shared through the registry. */
export function startServerBus(tuning: SocketBusTuning = {}): Promise<Bus> {
  return Bus.create('test-server', (hooks) => SocketBusServer.listen({ ...tuning, host: '127.0.0.1', port: 0 }, hooks));
}

/** A bus client of `server`, not shared through the registry (several may live in one process). */
export function startClientBus(server: Bus, tuning: SocketBusTuning = {}): Promise<Bus> {
  const port = server.transport.address!.port;
  return Bus.create('test-client', (hooks) => SocketBusClient.connect({ ...tuning, host: '127.0.0.1', port }, hooks));
}

const SENDER = EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 0).senderId;

/** A minimal valid notification with a utf-8-string payload. */
export function notification(scope: string, text: string, sequenceNumber = 0, sender: Uint8Array = SENDER): Notification {
  const now = nowMicros();
  return {
    eventId: new EventId(sender, sequenceNumber),
    scope: Scope.parse(scope),
    wireSchema: 'utf-8-string',
    data: Buffer.from(text, 'utf8'),
    causes: [],
    metaData: { createTime: now, sendTime: now, userInfos: [], userTimes: [] },
  };
}

/** Collects what a sink receives on `scope` and lets a test wait for a count. */
export class Collector {
  readonly received: Notification[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  constructor(bus: Bus, scope: string) {
    bus.subscribe(Scope.parse(scope), (n) => {
      this.received.push(n);
      this.waiters = this.waiters.filter((w) => {
        if (this.received.length < w.n) return true;
        w.resolve();
        return false;
      });
    });
  }

  get texts(): string[] {
    return this.received.map((n) => Buffer.from(n.data).toString('utf8'));
  }

  /** Resolves once `n` notifications have arrived (the test timeout bounds the wait). */
  waitFor(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}
