/**
 * What an OBE engine actor and its worker thread say to each other: the worker's start data,
 * the requests sent to it and the messages it sends back (docs/ARCHITECTURE.md, "Engine actors").
 * `engine-wire.ts` writes them into the channel's records.
 */
import type { ChannelEndpoint } from '../actors/threads/thread-channel.js';
import type { EngineCommand, EngineInit, EngineOutcome } from './engine-commands.js';
import type { EngineSnapshotUpdate } from './engine-snapshot.js';

/** Worker → actor messages. */
export type EngineWorkerMessage =
  /** The worker is ready; `snapshot` describes the state it starts with. */
  | { readonly type: 'ready'; readonly snapshot: EngineSnapshotUpdate }
  | { readonly type: 'init-failed'; readonly code: string; readonly message: string }
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: EngineOutcome }
  /** The snapshot of the state left by write command `after`, posted after its outcome. */
  | { readonly type: 'snapshot'; readonly after: number; readonly snapshot: EngineSnapshotUpdate };

/** What an engine worker thread is started with: its init and both ends of its channel. */
export interface EngineWorkerData {
  readonly init: EngineInit;
  /** Commands, actor → worker. */
  readonly toWorker: ChannelEndpoint;
  /** Outcomes and snapshots, worker → actor. */
  readonly fromWorker: ChannelEndpoint;
}

/** Actor → worker messages. */
export interface EngineWorkerRequest {
  readonly id: number;
  readonly command: EngineCommand;
}
