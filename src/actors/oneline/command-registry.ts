import type { OnelineCommand } from '../../protocols/oneline/command.js';

/** What a handler may answer: nothing, one line, or several lines (sent in order). */
export type OnelineResponse = string | readonly string[] | undefined | void;

/** A command as a handler receives it. */
export interface OnelineRequest extends OnelineCommand {
  /** The first space-separated word of `text` (all of `text` when it has no space). */
  readonly name: string;
  /** The remaining words, split on runs of spaces. */
  readonly args: readonly string[];
  /** Sends one response line now (before whatever the handler returns). */
  reply(text: string): void;
}

/**
 * Handles one command. May return lines to send, or a promise of them; commands are handled
 * one at a time in arrival order even when handlers are async, so responses stay in order.
 * A handler that throws is logged and counted; the connection and the server go on.
 */
export type OnelineHandler = (request: OnelineRequest) => OnelineResponse | Promise<OnelineResponse>;

/**
 * Maps command lines to handlers. A line goes to the handler registered for the whole line,
 * else to the one registered for its first word, else to the fallback. Lines flagged invalid go
 * to the invalid-line handler when one is set, otherwise through the same lookup.
 *
 * @example
 * ```ts
 * const registry = new CommandRegistry()
 *   .register('cmd01', () => 'ack')
 *   .register('add', ({ args }) => String(args.map(Number).reduce((a, b) => a + b, 0)))
 *   .setFallback(() => 'nak - unknown cmd');
 * ```
 */
export class CommandRegistry {
  private readonly handlers = new Map<string, OnelineHandler>();
  private fallback: OnelineHandler | undefined;
  private invalidHandler: OnelineHandler | undefined;

  /** Registers `handler` for lines equal to `name` or starting with `name` and a space. */
  register(name: string, handler: OnelineHandler): this {
    if (name === 'ping' || name === 'disconnect' || name === 'shutdown') {
      throw new RangeError(`'${name}' is a built-in command of socket-oneline`);
    }
    this.handlers.set(name, handler);
    return this;
  }

  /** Removes the handler of `name`; returns whether there was one. */
  unregister(name: string): boolean {
    return this.handlers.delete(name);
  }

  /** The handler of lines nothing else matches (none: such lines get no response). */
  setFallback(handler: OnelineHandler | undefined): this {
    this.fallback = handler;
    return this;
  }

  /** The handler of lines with dropped bytes or over the length limit. */
  setInvalidHandler(handler: OnelineHandler | undefined): this {
    this.invalidHandler = handler;
    return this;
  }

  /** Registered command names. */
  names(): string[] {
    return [...this.handlers.keys()];
  }

  /** The handler for `command`, looked up by whole line, then by `name` (its first word). */
  resolve(command: OnelineCommand, name: string): OnelineHandler | undefined {
    if (command.invalid && this.invalidHandler) return this.invalidHandler;
    return this.handlers.get(command.text) ?? this.handlers.get(name) ?? this.fallback;
  }
}

/** The first space-separated word of a command line (all of it when it has no space). */
export function commandName(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

/** The words after the first one, split on runs of spaces. */
export function commandArgs(text: string): string[] {
  const space = text.indexOf(' ');
  return space < 0 ? [] : text.slice(space + 1).split(/ +/).filter((word) => word.length > 0);
}
