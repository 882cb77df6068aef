import type { Logger } from '../../logger.js';
import type { OnelineCommand } from '../../protocols/oneline/command.js';
import type { Connection } from '../connection/connection.js';
import { commandArgs, commandName, type CommandRegistry, type OnelineRequest, type OnelineResponse } from './command-registry.js';

/** Counters of command handling, summed over a server's sessions. */
export interface OnelineCommandStats {
  /** Lines received. */
  lines: number;
  /** `ping` lines answered by the built-in. */
  pings: number;
  /** Lines passed to a handler. */
  handled: number;
  /** Lines no handler took (no fallback registered). */
  unhandled: number;
  /** Lines flagged invalid (dropped bytes or too long). */
  invalid: number;
  /** Lines over the length limit. */
  oversized: number;
  /** Handlers that threw or rejected. */
  handlerErrors: number;
}

/** How many distinct command names {@link CommandCounts} keeps apart; later new names count as `(other)`. */
export const MAX_COMMAND_NAMES = 64;

/** Lines by command name (the first word; `ping`, `disconnect` and `shutdown` included), bounded. */
export class CommandCounts {
  private readonly slots = new Map<string, { n: number }>();
  /** The name counted last and its slot: a run of one command costs a string compare per line, no map lookup. */
  private lastName: string | undefined;
  private lastSlot = { n: 0 };

  /** Counts one line of command `name`. */
  count(name: string): void {
    if (name === this.lastName) {
      this.lastSlot.n++;
      return;
    }
    const slots = this.slots;
    const key = slots.has(name) || slots.size < MAX_COMMAND_NAMES ? name : '(other)';
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = { n: 0 }));
    slot.n++;
    this.lastName = name;
    this.lastSlot = slot;
  }

  /** Lines by command name so far (a copy). */
  snapshot(): Map<string, number> {
    return new Map(Array.from(this.slots, ([name, slot]) => [name, slot.n]));
  }
}

/** What a session tells its server. */
export interface SessionHost {
  readonly registry: CommandRegistry;
  readonly builtinsOnInvalid: boolean;
  readonly maxPendingLines: number;
  readonly stats: OnelineCommandStats;
  /** Lines by command name, counted only once someone asked for them (the monitor). */
  readonly commandCounts: CommandCounts | undefined;
  readonly log: Logger;
  /** The client sent `shutdown`: stop the server (this session's responses still go out). */
  shutdownRequested(): void;
}

/**
 * The request a handler receives. A class rather than an object literal with a closure: it is
 * made once per line on the hot path, and `args` is only split when a handler asks for it.
 */
class SessionRequest implements OnelineRequest {
  readonly text: string;
  readonly invalid: boolean;
  readonly problem: OnelineCommand['problem'];
  readonly byteLength: number;
  private words: string[] | undefined;
  private boundReply: ((text: string) => void) | undefined;

  constructor(
    command: OnelineCommand,
    readonly name: string,
    private readonly session: OnelineSession,
  ) {
    this.text = command.text;
    this.invalid = command.invalid;
    this.problem = command.problem;
    this.byteLength = command.byteLength;
  }

  get args(): readonly string[] {
    return (this.words ??= commandArgs(this.text));
  }

  /** A getter so that `({ reply }) => reply('x')` works; the function is made on first use. */
  get reply(): (text: string) => void {
    return (this.boundReply ??= (text: string) => this.session.out(text));
  }
}

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Serves one client: handles its lines strictly one at a time in arrival order (async handlers
 * included), answers the built-ins, and applies backpressure: when responses cannot be written
 * (the client does not read) or too many lines wait, it stops reading from the socket.
 */
export class OnelineSession {
  private readonly pending: OnelineCommand[] = [];
  private readonly backlog: string[] = [];
  private busy = false;
  private inputPaused = false;
  private inputEnded = false;
  private finished = false;

  constructor(
    readonly connection: Connection<OnelineCommand, string>,
    private readonly host: SessionHost,
  ) {
    connection.messages$.subscribe({
      next: (command) => this.onLine(command),
      complete: () => this.onInputEnd(),
    });
  }

  /** Sends an unprompted line to this client (queued behind responses in progress). */
  send(text: string): boolean {
    if (this.finished) return false;
    this.out(text);
    if (!this.busy && this.backlog.length > 0) this.pump();
    return true;
  }

  private onLine(command: OnelineCommand): void {
    if (this.finished) return;
    const stats = this.host.stats;
    stats.lines++;
    if (command.invalid) stats.invalid++;
    if (command.problem === 'LINE_TOO_LONG') {
      stats.oversized++;
      this.host.log.warn('line over the length limit, discarded', { bytes: command.byteLength });
    }
    this.pending.push(command);
    if (this.pending.length >= this.host.maxPendingLines && !this.inputPaused) {
      this.inputPaused = true;
      this.connection.pause();
    }
    if (!this.busy) this.pump();
  }

  private onInputEnd(): void {
    this.inputEnded = true;
    if (!this.busy) this.pump();
  }

  /** Handles pending lines until one needs to wait (async handler or a full send queue). */
  private pump(): void {
    while (!this.busy && !this.finished) {
      if (this.backlog.length > 0) {
        this.wait(this.flushBacklog());
        return;
      }
      const command = this.pending.shift();
      if (command === undefined) break;
      const work = this.handle(command);
      if (work) {
        this.wait(work);
        return;
      }
    }
    if (this.inputPaused && this.pending.length < this.host.maxPendingLines / 2) {
      this.inputPaused = false;
      this.connection.resume();
    }
    if (this.inputEnded && !this.busy && this.pending.length === 0 && this.backlog.length === 0) this.finish();
  }

  private wait(work: Promise<void>): void {
    this.busy = true;
    void work.then(
      () => {
        this.busy = false;
        this.pump();
      },
      (err: unknown) => {
        this.host.log.debug('session stopped while waiting', { error: err });
        this.busy = false;
        this.finish();
      },
    );
  }

  private async flushBacklog(): Promise<void> {
    while (this.backlog.length > 0 && !this.finished) {
      await this.connection.sendAsync(this.backlog.shift()!);
    }
  }

  /** Handles one line; returns a promise only when it has to wait. */
  private handle(command: OnelineCommand): Promise<void> | undefined {
    const counts = this.host.commandCounts;
    if (!command.invalid || this.host.builtinsOnInvalid) {
      if (counts !== undefined && (command.text === 'ping' || command.text === 'disconnect' || command.text === 'shutdown')) counts.count(command.text);
      switch (command.text) {
        case 'ping':
          this.host.stats.pings++;
          this.out('pong');
          return undefined;
        case 'disconnect':
          this.finish();
          return undefined;
        case 'shutdown':
          // Stop the server first, so that the slot this session frees is not given to a held client.
          this.host.shutdownRequested();
          this.finish();
          return undefined;
      }
    }
    const name = commandName(command.text);
    if (counts !== undefined) counts.count(name);
    const handler = this.host.registry.resolve(command, name);
    if (!handler) {
      this.host.stats.unhandled++;
      return undefined;
    }
    this.host.stats.handled++;
    const request = new SessionRequest(command, name, this);
    let result: ReturnType<typeof handler>;
    try {
      result = handler(request);
    } catch (err) {
      this.handlerFailed(command, err);
      return undefined;
    }
    if (isPromise<OnelineResponse>(result)) {
      return result.then(
        (response) => this.respond(response),
        (err: unknown) => this.handlerFailed(command, err),
      );
    }
    this.respond(result);
    return undefined;
  }

  private respond(response: OnelineResponse): void {
    if (response === undefined) return;
    if (typeof response === 'string') this.out(response);
    else for (const line of response) this.out(line);
  }

  private handlerFailed(command: OnelineCommand, err: unknown): void {
    this.host.stats.handlerErrors++;
    this.host.log.error('command handler failed', { command: command.text, error: err });
  }

  /** Sends a line, or keeps it in the backlog when the queue is full (order is kept). */
  out(text: string): void {
    if (this.finished) return;
    if (this.backlog.length > 0 || !this.connection.send(text)) this.backlog.push(text);
  }

  /**
   * Ends the session: lines still queued after `disconnect`/`shutdown` are not read (as in the
   * original); responses already queued are flushed before the FIN.
   */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.pending.length = 0;
    this.backlog.length = 0;
    if (this.connection.status === 'open') void this.connection.drain();
  }
}
