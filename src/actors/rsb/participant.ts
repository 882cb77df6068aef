import { randomUuidBytes, uuidToString, type Scope } from '../../protocols/rsb/index.js';
import type { Bus, BusParticipantKind } from '../bus/bus.js';
import { acquireBus } from '../bus/bus-registry.js';
import { ParticipantClosedError } from './errors.js';
import { resolveBusEndpoint, type ParticipantOptions } from './participant-options.js';

/** A participant's bus and how to let go of it. */
export interface BusHold {
  readonly bus: Bus;
  release(): Promise<void>;
}

/** Acquires the bus the options select (or wraps the given one, which the caller owns). */
export async function holdBus(options: ParticipantOptions): Promise<BusHold> {
  if (options.bus) return { bus: options.bus, release: async () => undefined };
  return acquireBus(resolveBusEndpoint(options));
}

/**
 * What informers, listeners and servers share: a random (version 4) participant UUID, a scope,
 * a hold on a bus, and an idempotent `close()` that releases it.
 */
export abstract class Participant {
  /** The participant UUID, 16 bytes in RFC 4122 order (an informer's sender id). */
  readonly idBytes: Uint8Array = randomUuidBytes();
  private closing: Promise<void> | undefined;
  private readonly leaveBus: () => void;

  protected constructor(
    readonly scope: Scope,
    protected readonly hold: BusHold,
    kind: BusParticipantKind,
  ) {
    this.leaveBus = hold.bus.join(kind, scope);
  }

  /** The participant UUID as lower-case text. */
  get id(): string {
    return uuidToString(this.idBytes);
  }

  /** The bus this participant uses. */
  get bus(): Bus {
    return this.hold.bus;
  }

  /** True once `close()` has been called. */
  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  /** Detaches from the bus; the bus closes when its last participant has. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.leaveBus();
      await this.detach();
      await this.hold.release();
    })();
    return this.closing;
  }

  /** Subclasses stop their work here, before the bus is released. */
  protected abstract detach(): Promise<void>;

  protected assertOpen(what: string): void {
    if (this.closing) throw new ParticipantClosedError(`${what} ${this.scope.text} is closed`);
  }
}
