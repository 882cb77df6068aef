import type { Notification, Scope } from '../../protocols/rsb/index.js';
import type { FramedNotification } from './bus-protocol.js';

/** Which part a bus plays on its endpoint. */
export type BusRole = 'inprocess' | 'server' | 'client' | 'nats';

/** Counters of a bus transport. */
export interface BusTransportStats {
  /** Connections now open (a server's clients; 1 or 0 for a client). */
  readonly connections: number;
  /** Notifications received from peers. */
  readonly notificationsIn: number;
  /** Frames handed to connections (a broadcast to n peers counts n). */
  readonly framesOut: number;
  /** Frames a server forwarded from one client to the others (counted once per frame). */
  readonly forwarded: number;
  /** Frames whose body was not a valid notification: logged, never forwarded. */
  readonly badNotifications: number;
  /** Peers disconnected because they sent too many invalid frames in a short time. */
  readonly badPeersClosed: number;
  /** Peers disconnected because they did not read (see `SlowPeerPolicy`). */
  readonly slowPeersDropped: number;
  /** Bytes waiting beyond the connections' send queues. */
  readonly backlogBytes: number;
}

/** What a transport calls on its bus. */
export interface BusTransportHooks {
  /**
   * A notification arrived from a peer: deliver it to the local in-connectors. `body` is its
   * encoding as received, when the transport has it (bridges forward it unchanged).
   */
  deliver(notification: Notification, body?: Uint8Array): void;
  /** The transport ended on its own (a client lost its server); the bus is closed. */
  lost(error: Error): void;
}

/**
 * How a bus reaches other processes: nowhere (`inprocess`), its clients (`server`) or its server
 * (`client`). A transport never delivers locally what the bus publishes: the bus does that.
 */
export interface BusTransport {
  readonly role: BusRole;
  /** Where the transport listens or is connected, e.g. `127.0.0.1:55555`; undefined in-process. */
  readonly address: { readonly host: string; readonly port: number } | undefined;
  /** Sends one frame to every connection; `notification` is what the frame holds (for routing by scope). */
  broadcast(frame: FramedNotification, notification: Notification): void;
  /**
   * Optional: takes a publish as the notification itself, already checked and sized by
   * `notificationSize` (`size` bytes without a length prefix), for a transport that encodes into
   * buffers of its own. Without it the bus encodes a frame and calls {@link broadcast}.
   */
  publishNotification?(notification: Notification, size: number): void;
  /**
   * Optional: a local sink now listens on `scope` (called once per sink). Transports that route
   * by scope (NATS) subscribe here; the others receive everything anyway.
   */
  watch?(scope: Scope): void;
  /** Optional: the counterpart of {@link watch}, once per removed sink. */
  unwatch?(scope: Scope): void;
  /** Optional: resolves once every {@link watch} so far is in effect at the broker. */
  whenWatching?(): Promise<void>;
  /**
   * Optional: an RPC method on `scope` is served in this process, until the returned function
   * is called. Lets callers elsewhere tell "nobody serves this" from "no reply yet".
   */
  advertise?(scope: Scope): () => void;
  /**
   * Optional: whether some process serves the RPC method on `scope` (or might: a bridge answers
   * for its socket clients). Transports without it cannot tell.
   */
  hasResponders?(scope: Scope): Promise<boolean>;
  /** True while some peer has frames waiting beyond its send queue. */
  readonly congested: boolean;
  /** Resolves when no peer is congested (at once when none is). */
  whenUncongested(): Promise<void>;
  /** Orderly shutdown: flush, half-close every connection, wait for the peers' ends. */
  drain(): Promise<void>;
  /** Immediate shutdown. */
  close(): Promise<void>;
  stats(): BusTransportStats;
}
