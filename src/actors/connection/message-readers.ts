import { Observable, type Subscriber } from 'rxjs';

const NO_READERS: ReadonlyArray<Subscriber<unknown>> = Object.freeze([]);

/** What {@link MessageReaders} asks of the connection it serves. */
export interface MessageReadersHost {
  /** Whether more input may still arrive (the machine is in a state that reads). */
  readonly inputOpen: boolean;
  /** As many messages as the bound allows wait for a first subscriber: hold input. */
  earlyFull(): void;
  /** The first subscriber took the messages that waited for it: input may flow again. */
  readersReleased(): void;
}

/**
 * The readers of a connection's `messages$`, and the messages that arrive before the first one
 * subscribes: kept in order (the connection holds input once `maxEarly` wait) and handed to that
 * subscriber first. A connection usually has one reader, so delivery is a loop over an array,
 * with no Subject in between; the array is copied on change, so a delivery in progress iterates
 * the one it started with.
 */
export class MessageReaders<In> {
  private readers: Array<Subscriber<In>> = NO_READERS as Array<Subscriber<In>>;
  private done = false;
  private view: Observable<In> | undefined;
  /** Messages received before anyone subscribed; `null` once released to a subscriber. */
  private early: In[] | undefined | null;

  constructor(
    private readonly host: MessageReadersHost,
    private readonly maxEarly: number,
  ) {}

  /** Decoded messages in arrival order; completes when no more input will be delivered. */
  get messages$(): Observable<In> {
    this.view ??= new Observable<In>((subscriber) => {
      if (this.done) {
        subscriber.complete();
        return undefined;
      }
      this.readers = this.readers === NO_READERS ? [subscriber] : [...this.readers, subscriber];
      this.release();
      return () => {
        this.readers = this.readers.filter((r) => r !== subscriber);
      };
    });
    return this.view;
  }

  /** Hands `message` to every reader, or keeps it until the first one subscribes. */
  deliver(message: In): void {
    if (this.early !== null) {
      const early = (this.early ??= []);
      early.push(message);
      if (early.length >= this.maxEarly) this.host.earlyFull();
      return;
    }
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) readers[i].next(message);
  }

  /**
   * No more input: readers complete (twice is a no-op); kept messages still reach a late
   * subscriber, which then sees the end.
   */
  endInput(): void {
    if (this.early === null) this.complete();
  }

  private release(): void {
    const early = this.early;
    if (early === null) return;
    this.early = null;
    if (early) for (const message of early) for (const reader of this.readers) reader.next(message);
    this.host.readersReleased();
    if (!this.host.inputOpen) this.complete();
  }

  private complete(): void {
    if (this.done) return;
    this.done = true;
    const readers = this.readers;
    this.readers = NO_READERS as Array<Subscriber<In>>;
    for (const reader of readers) reader.complete();
  }
}
