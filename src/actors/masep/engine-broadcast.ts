import { encodeMessage, observationMessage } from '../../protocols/masep/index.js';
import type { Logger } from '../../logger.js';
import type { EpisodeObservation } from './engine-episode.js';
import type { MasepLink } from './link.js';
import { buildObservationState, observationInfo } from './observation-state.js';

/** Who an observation goes to: an interface's ident and link. */
export interface Recipient {
  /** Its hello ident (for the log). */
  readonly id: string;
  /** Where its observations are sent. */
  readonly link: MasepLink;
}

/**
 * Writes an episode's observations and sends them (spec §5, "OBSERVATION"): each one is built and
 * encoded once, as pymasep's engine writes it (docs/ARCHITECTURE.md, "pymasep: what the engine
 * writes"), and the same bytes go to every recipient. The newest is kept for an interface that
 * registers in the middle of an episode.
 */
export class Broadcaster {
  private last: Uint8Array | undefined;
  private count = 0;

  /**
   * @param engineId - the engine's ident, each observation's `src_sub_app`.
   * @param log - where a failed build or send is logged.
   */
  constructor(
    private readonly engineId: string,
    private readonly log: Logger,
  ) {}

  /** Observations handed to links. */
  get sent(): number {
    return this.count;
  }

  /** Encodes `observation` once and sends it to every recipient; a render error sends nothing. */
  publish(observation: EpisodeObservation, recipients: Iterable<Recipient>): void {
    let payload: Uint8Array;
    try {
      const state = buildObservationState(observation.frame());
      const info = observationInfo(observation.players, observation.rewards);
      payload = encodeMessage(observationMessage(this.engineId, state, info));
    } catch (err) {
      // E.g. FRAME_TOO_LARGE is caught when framing below; a render error ends nothing else.
      this.log.error('cannot build the observation', { error: err });
      return;
    }
    this.last = payload;
    for (const recipient of recipients) this.send(recipient, payload);
  }

  /** Sends the newest observation of the episode, if there is one, to a late-comer. */
  catchUp(recipient: Recipient): void {
    if (this.last) this.send(recipient, this.last);
  }

  /** The episode is over: a late-comer gets nothing until the next one. */
  forget(): void {
    this.last = undefined;
  }

  private send(recipient: Recipient, payload: Uint8Array): void {
    try {
      recipient.link.send({ kind: 'payload', payload });
      this.count++;
    } catch (err) {
      this.log.error('cannot send the observation', { id: recipient.id, error: err });
    }
  }
}
