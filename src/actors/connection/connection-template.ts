import { createLogger, type Logger } from '../../logger.js';
import type { Protocol, Role } from '../../protocols/protocol.js';
import type { Socket } from 'node:net';
import type { Clock } from '../clock.js';
import { DeadlineQueue } from '../deadline-queue.js';
import type { Connection } from './connection.js';
import type { ConnectionMachineInput } from './connection-machine.js';
import { handshakePlan, type HandshakePlan } from './handshake-plan.js';
import { IdleSweeper } from './idle-sweeper.js';
import { startLifecycle, type ConnectionStatus, type LifecycleStep } from './lifecycle.js';
import { resolveConnectionOptions, type ConnectionOptions, type ResolvedConnectionOptions } from './options.js';
import type { SendQueueLimits } from './send-queue.js';

/**
 * Told about each change of a connection's coarse status, synchronously, after the effects of
 * the step that changed it, without a subscription per connection (a server releases its slot
 * with it).
 */
export type StatusObserver<In, Out> = (connection: Connection<In, Out>, status: ConnectionStatus, previous: ConnectionStatus) => void;

/**
 * Everything the connections of one server (or one kind of client) share: the protocol, the
 * resolved options, the logger, the handshake plan, the encoded bye and the machine's input.
 * Built once, so that accepting a connection resolves nothing and allocates only what is its own
 * (docs/ARCHITECTURE.md, "What a connection costs").
 *
 * @example
 * ```ts
 * const template = new ConnectionTemplate(onelineProtocol(), 'server', { idleTimeoutMs: 60_000 });
 * netServer.on('connection', (socket) => Connection.accept(socket, template));
 * ```
 */
export class ConnectionTemplate<In, Out> {
  /** The options with every default filled in. */
  readonly options: ResolvedConnectionOptions;
  /** The logger of these connections. */
  readonly log: Logger;
  /** Our part in the protocol's handshake. */
  readonly handshake: HandshakePlan<In>;
  /** Where the connections' timers come from. */
  readonly clock: Clock;
  /** The bounds of each connection's send queue. */
  readonly queueLimits: SendQueueLimits;
  /** The protocol's bye, encoded once; undefined when the protocol has none. */
  readonly byeFrame: Uint8Array | undefined;
  /** Handshakes in progress, each failing when its deadline comes. */
  readonly handshakeDeadlines: DeadlineQueue<Connection<In, Out>>;
  /** Orderly closes in progress (our FIN is out), each ended when its deadline comes. */
  readonly closeDeadlines: DeadlineQueue<Connection<In, Out>>;
  /** Frames the peer has started but not completed; undefined when `frameTimeoutMs` is 0. */
  readonly frameDeadlines: DeadlineQueue<Connection<In, Out>> | undefined;
  /** Sockets of failed connections given a bounded time to close after our FIN. */
  readonly lingering: DeadlineQueue<Socket>;
  /** Idle supervision; undefined when `idleTimeoutMs` is 0. */
  readonly idle: IdleSweeper<Connection<In, Out>> | undefined;
  private readonly starts: readonly [LifecycleStep, LifecycleStep];

  /**
   * @param onStatus called on every status change of every connection made from this template.
   */
  constructor(
    readonly protocol: Protocol<In, Out>,
    readonly role: Role,
    options: ConnectionOptions = {},
    readonly onStatus?: StatusObserver<In, Out>,
  ) {
    this.options = resolveConnectionOptions(options);
    this.log = createLogger(this.options.name ?? `${protocol.name}.${role}`);
    this.handshake = handshakePlan(protocol, role, this.options.localId);
    this.clock = this.options.clock;
    this.queueLimits = { maxBytes: this.options.maxQueuedBytes, maxFrames: this.options.maxQueuedFrames };
    this.byeFrame = protocol.bye ? protocol.encode(protocol.bye.message) : undefined;
    const input = (startsConnected: boolean): ConnectionMachineInput =>
      Object.freeze({
        startsConnected,
        speaksFirst: this.handshake.speaksFirst,
        awaitsPeer: this.handshake.awaitsPeer,
        answers: this.handshake.answers,
        closeOnPeerEnd: this.options.closeOnPeerEnd,
        hasBye: this.byeFrame !== undefined,
      });
    this.starts = [startLifecycle(input(false)), startLifecycle(input(true))];
    const clock = this.clock;
    this.handshakeDeadlines = new DeadlineQueue(clock, this.options.handshakeTimeoutMs, (c) => c.handshakeTimedOut());
    this.closeDeadlines = new DeadlineQueue(clock, this.options.closeTimeoutMs, (c) => c.dispatch('CLOSE_TIMEOUT'));
    this.frameDeadlines = this.options.frameTimeoutMs > 0 ? new DeadlineQueue(clock, this.options.frameTimeoutMs, (c) => c.frameTimedOut()) : undefined;
    this.lingering = new DeadlineQueue(clock, this.options.closeTimeoutMs, (socket) => socket.destroy(), true);
    this.idle = this.options.idleTimeoutMs > 0 ? new IdleSweeper(clock, this.options.idleTimeoutMs) : undefined;
  }

  /** The machine's first step for a connection whose socket is (or is not yet) connected. */
  start(connected: boolean): LifecycleStep {
    return this.starts[connected ? 1 : 0];
  }
}
