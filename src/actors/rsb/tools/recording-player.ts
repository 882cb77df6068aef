import { decodeNotification, EventId, nowMicros, randomUuidBytes, Scope, uuidToString, type Notification } from '../../../protocols/rsb/index.js';
import type { Bus } from '../../bus/bus.js';
import { systemClock, type Clock } from '../../clock.js';
import { holdBus, type BusHold } from '../participant.js';
import type { ParticipantOptions } from '../participant-options.js';
import type { RecordedNotification, RecordingEnd } from './recording-format.js';
import { readRecording } from './recording-reader.js';

/** Options of {@link RecordingPlayer.play}. */
export interface PlayOptions {
  /** Speed relative to the recording: 2 plays twice as fast. Default 1. */
  readonly rate?: number;
  /** Play the file again and again, until `signal` aborts. Default false. */
  readonly loop?: boolean;
  /** Publish under this scope: `/x/` turns `/a/b/` into `/x/a/b/`. */
  readonly scopePrefix?: Scope | string;
  /** Stops playing (between events). */
  readonly signal?: AbortSignal;
  /** Called with each event as it is published. */
  readonly onEvent?: (notification: Notification) => void;
}

/** How a {@link RecordingPlayer.play} went. */
export interface PlayResult {
  /** Events published. */
  readonly events: number;
  /** Records whose notification did not decode (skipped). */
  readonly skipped: number;
  /** Passes through the file that were completed. */
  readonly passes: number;
  /** Where the readable part of the file ended (on the last pass). */
  readonly end: RecordingEnd;
}

/** A scope with `prefix` put in front of it. */
function prefixed(prefix: Scope | undefined, scope: Scope): Scope {
  return prefix === undefined ? scope : prefix.concat(scope);
}

/**
 * Publishes the events of a bus recording again (docs/RSB-RECORDING.md), with their original
 * timing scaled by `rate`: payload bytes, wire schema, method, causes, user infos and times and
 * create time as recorded, the send time when it is sent again, and fresh event ids (this
 * player's sender UUID, sequence numbers from 0), as the originals require ids to be unique.
 */
export class RecordingPlayer {
  /** The sender UUID of the events this player publishes. */
  readonly senderIdBytes: Uint8Array = randomUuidBytes();
  private sequence = 0;

  private constructor(
    private readonly hold: BusHold,
    private readonly clock: Clock,
  ) {}

  /** A player on the bus the options select. */
  static async create(options: ParticipantOptions & { clock?: Clock } = {}): Promise<RecordingPlayer> {
    return new RecordingPlayer(await holdBus(options), options.clock ?? systemClock);
  }

  /** The sender UUID as text. */
  get senderId(): string {
    return uuidToString(this.senderIdBytes);
  }

  /** The bus played onto. */
  get bus(): Bus {
    return this.hold.bus;
  }

  /** Plays `path` (once, or until aborted with `loop`). */
  async play(path: string, options: PlayOptions = {}): Promise<PlayResult> {
    const rate = options.rate ?? 1;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number, got ${rate}`);
    const prefix = options.scopePrefix === undefined ? undefined : typeof options.scopePrefix === 'string' ? Scope.parse(options.scopePrefix) : options.scopePrefix;
    let events = 0;
    let skipped = 0;
    let passes = 0;
    let end: RecordingEnd;
    do {
      let first: number | undefined;
      const started = this.clock.now();
      const publish = async (record: RecordedNotification): Promise<void> => {
        if (options.signal?.aborted) return;
        first ??= record.receiveTime;
        const due = started + (record.receiveTime - first) / 1000 / rate;
        const wait = due - this.clock.now();
        if (wait > 0) await this.delay(wait, options.signal);
        if (options.signal?.aborted) return;
        let recorded: Notification;
        try {
          recorded = decodeNotification(record.body);
        } catch {
          skipped++;
          return;
        }
        const notification = this.again(recorded, prefix);
        if (!this.bus.writable) await this.bus.whenWritable();
        this.bus.publish(notification);
        events++;
        options.onEvent?.(notification);
      };
      end = await readRecording(path, publish);
      if (!options.signal?.aborted) passes++;
    } while (options.loop === true && !options.signal?.aborted && events + skipped > 0);
    return { events, skipped, passes, end };
  }

  /** Lets go of the bus. */
  close(): Promise<void> {
    return this.hold.release();
  }

  private again(recorded: Notification, prefix: Scope | undefined): Notification {
    const eventId = new EventId(this.senderIdBytes, this.sequence);
    this.sequence = (this.sequence + 1) % 0x1_0000_0000;
    const now = nowMicros();
    const meta = recorded.metaData;
    return {
      ...recorded,
      eventId,
      scope: prefixed(prefix, recorded.scope),
      metaData: meta === undefined ? { createTime: now, sendTime: now, userInfos: [], userTimes: [] } : { ...meta, sendTime: Math.max(now, meta.createTime) },
    };
  }

  private delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        this.clock.clearTimeout(timer);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
