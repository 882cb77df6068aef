/**
 * actorwire's OBE service: the optbayesexpt numeric core, its engine in a worker thread, and the
 * OBE TCP server and client (wire-compatible with optbayesexpt's `OBE_Server` and `tcpcmd`).
 * @packageDocumentation
 */
export * from './core/index.js';
export * from '../protocols/obe/index.js';
export {
  BadArgumentError,
  RunTooLargeError,
  ReplyTooLargeError,
  EngineBusyError,
  EngineCrashedError,
  EngineStoppedError,
  NoRunError,
  ObeCommandError,
  ObeReplyError,
  ObeServiceError,
  RunSpecError,
  type ObeServiceErrorCode,
} from './errors.js';
export {
  DEFAULT_PARTICLES,
  DEMO_RUN_SPEC,
  drawPrior,
  knobValues,
  parseRunSpec,
  runRandomStreams,
  samplePrior,
  type KnobSpec,
  type ModelSpec,
  type ParseRunSpecOptions,
  type PriorSpec,
  type RunSpec,
  type RunSpecInts,
} from './run-spec.js';
export { parseEngineCommand, type EngineCommand, type EngineInit, type EngineOp, type EngineOutcome, type NewrunGrid, type NumberOrList } from './engine-commands.js';
export { EngineSnapshot, RUN_READS, SNAPSHOT_MAX_GRID_VALUES, STATE_READS, type EngineCoreStats, type EngineSnapshotUpdate, type RunRead, type SnapshotRead, type StateRead } from './engine-snapshot.js';
export { DEFAULT_MAX_REPLY_BYTES, EngineHost } from './engine-host.js';
export { ObeEngineActor, type EngineStats, type EngineStatus, type ObeEngineActorOptions } from './engine-actor.js';
export { engineMachine, type EngineMachineEffects, type EngineMachineEvent } from './engine-machine.js';
export { OBE_DEFAULT_PORT, ObeServer, type ObeDonePolicy, type ObeNewrunHook, type ObeServerOptions, type ObeServerStats } from './server.js';
export { ObeClient, type ObeClientMode, type ObeClientOptions } from './client.js';
export { DEFAULT_MAX_RUN_BYTES, checkRunBudget, runBudgetError, runBytes } from './run-budget.js';
