import { Observable, Subject } from 'rxjs';
import {
  decodeMessage,
  defaultObjectRegistry,
  type MasepFrame,
  type MasepOutgoing,
  type MasepProtocolOptions,
} from '../../protocols/masep/index.js';
import type { ConnectionEnd } from '../connection/connection.js';
import { ClosedError } from '../errors.js';

/**
 * One open masep conversation as the engine and interfaces use it, after the hello exchange.
 * A TCP `Connection<MasepFrame, MasepOutgoing>` is one; {@link createInProcessLinks} makes a pair
 * that never leaves the process. Engine and interface code is the same for both.
 */
export interface MasepLink {
  /** The peer's hello ident. */
  readonly peerId: string | undefined;
  /** Frames from the peer after its hello: `message`, `malformed` (a peer `bye` ends the link). */
  readonly messages$: Observable<MasepFrame>;
  /** Queues one frame; throws once the link is closing. */
  send(frame: MasepOutgoing): boolean;
  /** Flushes, sends `BYE`, closes. */
  drain(): Promise<ConnectionEnd>;
  /** Closes at once. */
  close(): Promise<ConnectionEnd>;
  /** Settles when the link has ended, whatever the reason. */
  readonly closed: Promise<ConnectionEnd>;
}

/** Options of {@link createInProcessLinks}. */
export interface InProcessLinkOptions extends MasepProtocolOptions {
  /** Ident of side `a` (the interface). */
  readonly aId: string;
  /** Ident of side `b` (the engine). */
  readonly bId: string;
}

class InProcessLink implements MasepLink {
  readonly messages$: Observable<MasepFrame>;
  readonly closed: Promise<ConnectionEnd>;
  other!: InProcessLink;
  private readonly subject = new Subject<MasepFrame>();
  private readonly early: MasepFrame[] = [];
  private subscribed = false;
  private ended: ConnectionEnd | undefined;
  private resolveClosed!: (end: ConnectionEnd) => void;

  constructor(
    readonly peerId: string,
    private readonly options: MasepProtocolOptions,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.messages$ = new Observable<MasepFrame>((subscriber) => {
      const subscription = this.subject.subscribe(subscriber);
      if (!this.subscribed) {
        this.subscribed = true;
        for (const frame of this.early.splice(0)) this.subject.next(frame);
        if (this.ended) this.subject.complete();
      }
      return subscription;
    });
  }

  send(frame: MasepOutgoing): boolean {
    if (this.ended) throw new ClosedError('cannot send on a closed in-process masep link');
    // Deliver on a later tick, like a socket, so that no caller is re-entered.
    const delivered = this.toFrame(frame);
    queueMicrotask(() => this.other.receive(delivered));
    return true;
  }

  drain(): Promise<ConnectionEnd> {
    if (!this.ended) queueMicrotask(() => this.other.receive({ kind: 'bye' }));
    queueMicrotask(() => this.finish({ reason: 'drained' }));
    return this.closed;
  }

  close(): Promise<ConnectionEnd> {
    this.finish({ reason: 'local-close' });
    this.other.finish({ reason: 'peer-closed' });
    return this.closed;
  }

  receive(frame: MasepFrame): void {
    if (this.ended) return;
    if (frame.kind === 'bye') {
      this.finish({ reason: 'peer-bye' });
      return;
    }
    if (this.subscribed) this.subject.next(frame);
    else this.early.push(frame);
  }

  finish(end: ConnectionEnd): void {
    if (this.ended) return;
    this.ended = end;
    if (this.subscribed) this.subject.complete();
    this.resolveClosed(end);
  }

  private toFrame(frame: MasepOutgoing): MasepFrame {
    switch (frame.kind) {
      case 'message':
      case 'bye':
      case 'hello':
        return frame;
      case 'payload':
        // A pre-encoded payload is decoded as a TCP peer would (same allow-list).
        return {
          kind: 'message',
          message: decodeMessage(frame.payload, { objects: this.options.objects ?? defaultObjectRegistry }),
        };
    }
  }
}

/**
 * Two connected links in one process, already past the hello exchange: `a.peerId` is `bId` and
 * `b.peerId` is `aId`. Messages travel as objects (no XML) except pre-encoded payloads.
 */
export function createInProcessLinks(options: InProcessLinkOptions): { a: MasepLink; b: MasepLink } {
  const a = new InProcessLink(options.bId, options);
  const b = new InProcessLink(options.aId, options);
  a.other = b;
  b.other = a;
  return { a, b };
}
