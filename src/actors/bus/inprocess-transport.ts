import type { BusTransport, BusTransportStats } from './bus-transport.js';

const NO_TRAFFIC: BusTransportStats = Object.freeze({
  connections: 0,
  notificationsIn: 0,
  framesOut: 0,
  forwarded: 0,
  badNotifications: 0,
  badPeersClosed: 0,
  slowPeersDropped: 0,
  backlogBytes: 0,
});

/** The `inprocess` transport: no connections, so a bus using it delivers locally only. */
export class InProcessTransport implements BusTransport {
  readonly role = 'inprocess' as const;
  readonly address = undefined;
  readonly congested = false;

  broadcast(): void {}

  whenUncongested(): Promise<void> {
    return Promise.resolve();
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  stats(): BusTransportStats {
    return NO_TRAFFIC;
  }
}
