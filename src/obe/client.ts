import { firstValueFrom, take, timeout as rxTimeout } from 'rxjs';
import { dial } from '../actors/client.js';
import type { Connection } from '../actors/connection/connection.js';
import { TimeoutError } from '../actors/errors.js';
import type { ObeFrame } from '../protocols/obe/framing.js';
import { isObeErrorReply, type ObeCommandArgs, type ObeCommandReplies } from '../protocols/obe/messages.js';
import { obeProtocol, type ObeOutbound } from '../protocols/obe/protocol.js';
import { PythonInt, type PythonJson } from '../protocols/obe/python-json-value.js';
import { ObeCommandError, ObeReplyError } from './errors.js';
import { OBE_DEFAULT_PORT } from './server.js';

/**
 * How the client uses TCP: `per-command` opens a connection per command and closes it after the
 * reply (the original `tcpcmd`, works with every OBE server); `persistent` keeps one connection for
 * all commands (actorwire's server, Q11).
 */
export type ObeClientMode = 'per-command' | 'persistent';

/** Options of {@link ObeClient}. */
export interface ObeClientOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 61981. */
  port?: number;
  /** Default `per-command`. */
  mode?: ObeClientMode;
  /** Time allowed for connect + request + reply, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Largest reply body accepted, in bytes. Default 256 MiB (getpar replies are large). */
  maxReplyBytes?: number;
  /**
   * Keep JSON integers of replies as {@link PythonInt} (e.g. to print a reply exactly as it
   * came). Default false: every number is a JS number, as the typed methods declare.
   */
  keepInts?: boolean;
}

type Link = Connection<ObeFrame, ObeOutbound>;

function replyValue(frame: ObeFrame): PythonJson {
  if (frame.kind === 'json') return frame.value;
  // A rejected body or broken framing: either way the reply cannot be read.
  throw new ObeReplyError(`unreadable reply: ${frame.error.message}`, { cause: frame.error });
}

/**
 * A client of the OBE TCP protocol with one typed method per command. Error replies
 * (`{"error": ...}`) reject with {@link ObeCommandError}; a missing reply rejects with a
 * `TimeoutError` after `timeoutMs`.
 *
 * @example
 * ```ts
 * const obe = new ObeClient({ port: 61981 });
 * await obe.newrun({ lolim: 2, hilim: 3, steps: 200 });
 * const [f] = await obe.goodset(6);
 * await obe.newdat([f], measure(f), 0.005);
 * const [f0] = await obe.getmean();
 * ```
 */
export class ObeClient {
  private readonly options: ObeClientOptions;
  private persistent: Promise<Link> | undefined;
  /** Persistent mode: requests go one at a time, each waiting for the previous reply. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: ObeClientOptions = {}) {
    this.options = options;
  }

  /** Sends any JSON message and resolves with the reply as parsed JSON (error replies included). */
  request(message: PythonJson): Promise<PythonJson> {
    if ((this.options.mode ?? 'per-command') === 'per-command') return this.once(message);
    const result = this.chain.then(() => this.onPersistent(message));
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Sends a command with its arguments; rejects with {@link ObeCommandError} on an error reply. */
  async command<C extends keyof ObeCommandArgs>(command: C, args?: ObeCommandArgs[C]): Promise<ObeCommandReplies[C]> {
    const message: Record<string, PythonJson> = { command };
    for (const [key, value] of Object.entries(args ?? {})) if (value !== undefined) message[key] = value as PythonJson;
    const reply = await this.request(message);
    if (isObeErrorReply(reply)) throw new ObeCommandError(command, reply.error, reply.code);
    return reply as unknown as ObeCommandReplies[C];
  }

  /** All setting combinations, `S × G`. */
  getset(): Promise<number[][]> {
    return this.command('getset');
  }

  /** The particles, `D × N`. */
  getpar(): Promise<number[][]> {
    return this.command('getpar');
  }

  /** The model constants. */
  getcon(): Promise<PythonJson[]> {
    return this.command('getcon');
  }

  /** The particle weights (length N). */
  getwgt(): Promise<number[]> {
    return this.command('getwgt');
  }

  /**
   * Starts a new run (demo `{lolim, hilim, steps}`, a `spec`, or the configured run). `steps` goes
   * out as an int (`200`, not `200.0`): the original demo server passes it to NumPy's `linspace`,
   * which refuses a float count.
   */
  newrun(args: ObeCommandArgs['newrun'] = {}): Promise<'OK'> {
    const { steps } = args;
    return this.command('newrun', typeof steps === 'number' && Number.isInteger(steps) ? { ...args, steps: new PythonInt(steps) as unknown as number } : args);
  }

  /** The setting of highest utility (length S). */
  optset(): Promise<number[]> {
    return this.command('optset');
  }

  /** A setting drawn ∝ utility^pickiness (length S); no pickiness: the server's default. */
  goodset(pickiness?: number | null): Promise<number[]> {
    return this.command('goodset', pickiness === undefined ? {} : { pickiness });
  }

  /** Reports a measurement: setting `x`, value(s) `y`, noise std(s) `s`. */
  newdat(x: number | readonly number[], y: number | readonly number[], s: number | readonly number[]): Promise<'OK'> {
    return this.command('newdat', { x, y, s });
  }

  /** The particles (the original's alias of getpar). */
  getpdf(): Promise<number[][]> {
    return this.command('getpdf');
  }

  /**
   * The particles (`D × N`, as {@link getpar}) and their weights (length N, as {@link getwgt}) in
   * one reply: actorwire's `getpdfw`. The original server does not know it, and since it matches
   * commands by substring it answers `getpdf` (the particles alone): against it this rejects with
   * {@link ObeReplyError} instead of passing a row of particles off as weights.
   */
  async getpdfw(): Promise<[particles: number[][], weights: number[]]> {
    // Not in ObeCommandArgs (the original's commands), so sent by name.
    const reply = await this.request({ command: 'getpdfw' });
    if (isObeErrorReply(reply)) throw new ObeCommandError('getpdfw', reply.error, reply.code);
    // [particles, weights] starts with a list of rows; getpdf's D × N list starts with a row of numbers.
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[0]) || !reply[0].every((row) => Array.isArray(row))) {
      throw new ObeReplyError('the server does not know getpdfw (it answered with something other than [particles, weights])');
    }
    return reply as unknown as [number[][], number[]];
  }

  /** The posterior mean (length D). */
  getmean(): Promise<number[]> {
    return this.command('getmean');
  }

  /** The posterior (population) std (length D). */
  getstd(): Promise<number[]> {
    return this.command('getstd');
  }

  /** The posterior covariance, `D × D`. */
  getcov(): Promise<number[][]> {
    return this.command('getcov');
  }

  /** `"OK"` when the server is up. */
  ready(): Promise<'OK'> {
    return this.command('ready');
  }

  /** Tells the server the session is over (the original stops). */
  done(): Promise<'OK'> {
    return this.command('done');
  }

  /** Closes the persistent connection, if any. */
  async close(): Promise<void> {
    const link = this.persistent;
    this.persistent = undefined;
    if (link) await (await link.catch(() => undefined))?.drain();
  }

  private dial(): Promise<Link> {
    return dial(obeProtocol({ maxBodyBytes: this.options.maxReplyBytes ?? 256 * 1024 * 1024, keepInts: this.options.keepInts }), {
      host: this.options.host,
      port: this.options.port ?? OBE_DEFAULT_PORT,
      connectTimeoutMs: this.options.timeoutMs ?? 30_000,
    });
  }

  private async exchange(link: Link, message: PythonJson): Promise<PythonJson> {
    const ms = this.options.timeoutMs ?? 30_000;
    const reply = firstValueFrom(
      link.messages$.pipe(
        take(1),
        rxTimeout({ first: ms, with: () => { throw new TimeoutError(`no OBE reply within ${ms} ms`, 'REPLY_TIMEOUT'); } }),
      ),
      { defaultValue: undefined },
    );
    link.send(message);
    const frame = await reply;
    if (frame === undefined) throw new ObeReplyError('the server closed the connection without a reply');
    return replyValue(frame);
  }

  private async once(message: PythonJson): Promise<PythonJson> {
    const link = await this.dial();
    try {
      return await this.exchange(link, message);
    } finally {
      void link.close();
    }
  }

  private async onPersistent(message: PythonJson): Promise<PythonJson> {
    this.persistent ??= this.dial();
    let link: Link;
    try {
      link = await this.persistent;
    } catch (err) {
      this.persistent = undefined;
      throw err;
    }
    try {
      return await this.exchange(link, message);
    } catch (err) {
      // A broken or silent connection is not reused.
      this.persistent = undefined;
      void link.close();
      throw err;
    }
  }
}
