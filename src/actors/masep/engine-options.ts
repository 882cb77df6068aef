import type { ObjectRegistry } from '../../protocols/masep/index.js';
import type { ConnectionOptions } from '../connection/options.js';
import type { DiscoveryResponderOptions } from './discovery-responder.js';
import type { GameRegistry } from './game.js';

/**
 * The public shapes of a `MasepEngine`: its options, events, counters and episode summaries
 * (docs/ARCHITECTURE.md, "pymasep: the engine's parts").
 */

/** What the engine does with an Actor that has not acted within `actionTimeoutMs`. */
export type ActionTimeoutPolicy = 'skip' | 'remove';

/** Options of a `MasepEngine`. */
export interface MasepEngineOptions {
  /** The games a DEFINE may name. */
  readonly games: GameRegistry;
  /** Run this game (a registry name) without waiting for a DEFINE; DEFINEs must then name it. */
  readonly game?: string;
  /** The engine's sub-app id (hello ident). Default: a new UUID. */
  readonly id?: string;
  /**
   * Actors seated before an episode starts: at least the game's `minPlayers`, at most its
   * `maxPlayers`. Default the game's `minPlayers`.
   */
  readonly players?: number;
  /** Episodes to play before sending `end`. Default `Infinity`. */
  readonly episodes?: number;
  /** TCP host for `MasepEngine.listen`. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port. Default 60000 (pymasep's); 0 picks a free one. */
  readonly port?: number;
  /** Interfaces served at once (Actors and Observers); the next one is refused gracefully. Default 10. */
  readonly maxConnections?: number;
  /** Time a TCP client has to send its hello, in ms. Default 5 000. */
  readonly handshakeTimeoutMs?: number;
  /** Time an Actor has to act, in ms; 0 waits forever (pymasep's behaviour). Default 10 000. */
  readonly actionTimeoutMs?: number;
  /** `skip` the turn (the game gets a `null` action) or `remove` the agent. Default `skip`. */
  readonly onActionTimeout?: ActionTimeoutPolicy;
  /** Steps after which an episode is cut short. Default `Infinity`. */
  readonly maxStepsPerEpisode?: number;
  /** Seed of the games' random numbers. Default 1. */
  readonly seed?: number;
  /** Object classes accepted in received params. Default pymasep's own. */
  readonly objects?: ObjectRegistry;
  /** Options of each accepted TCP connection. */
  readonly connection?: ConnectionOptions;
  /** Answer UDP discovery queries while listening (group and port default to pymasep's). */
  readonly discovery?: Omit<DiscoveryResponderOptions, 'tcpPort'>;
}

/** Something that happened in the engine (one per seat change, step or episode, never per frame). */
export type MasepEngineEvent =
  | { readonly type: 'game-defined'; readonly game: string }
  | { readonly type: 'joined'; readonly id: string; readonly role: string; readonly agent?: string }
  | { readonly type: 'left'; readonly id: string; readonly reason: string }
  | { readonly type: 'refused'; readonly id: string | undefined; readonly reason: string }
  | { readonly type: 'dropped'; readonly id: string; readonly reason: string }
  | { readonly type: 'episode-started'; readonly episode: number; readonly players: readonly string[] }
  | { readonly type: 'step'; readonly episode: number; readonly step: number; readonly rewards: Readonly<Record<string, number>> }
  | { readonly type: 'timeout'; readonly episode: number; readonly step: number; readonly agents: readonly string[] }
  | { readonly type: 'episode-ended'; readonly episode: number; readonly steps: number; readonly rewards: Readonly<Record<string, number>> }
  | { readonly type: 'ended'; readonly episodes: number };

/** Counters of an engine. */
export interface MasepEngineStats {
  interfaces: number;
  actors: number;
  observers: number;
  episodesPlayed: number;
  steps: number;
  actionsApplied: number;
  observationsSent: number;
  /** Messages ignored: malformed, spoofed, out of turn, before DEFINE, ... */
  messagesDropped: number;
  /** Interfaces disconnected because they sent too many malformed messages in a short time. */
  badPeersClosed: number;
  /** Interfaces turned away (limit, duplicate ident, other game, no seat). */
  refused: number;
  timeouts: number;
}

/** The per-episode summary `MasepEngine.done` resolves with. */
export interface EpisodeSummary {
  readonly episode: number;
  readonly steps: number;
  readonly rewards: Readonly<Record<string, number>>;
}
