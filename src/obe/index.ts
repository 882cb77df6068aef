/**
 * actorwire's OBE service: the optbayesexpt numeric core, its engine in a worker thread, and the
 * OBE TCP server and client (wire-compatible with optbayesexpt's `OBE_Server` and `tcpcmd`). The
 * wire format itself (framing, Python-compatible JSON, commands) is `actorwire/obe/protocol`.
 * @packageDocumentation
 */
export * from './core/public.js';
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
  parseRunSpec,
  samplePrior,
  type KnobSpec,
  type ModelSpec,
  type ParseRunSpecOptions,
  type PriorSpec,
  type RunSpec,
  type RunSpecInts,
} from './run-spec.js';
export type { EngineCommand, EngineInit, EngineOp, EngineOutcome, NewrunGrid, NumberOrList } from './engine-commands.js';
export type { EngineCoreStats } from './engine-snapshot.js';
export { DEFAULT_MAX_REPLY_BYTES } from './engine-host.js';
export { ObeEngineActor, type EngineStats, type EngineStatus, type ObeEngineActorOptions } from './engine-actor.js';
export { OBE_DEFAULT_PORT, ObeServer, type ObeDonePolicy, type ObeNewrunHook, type ObeServerOptions, type ObeServerStats } from './server.js';
export { ObeClient, type ObeClientMode, type ObeClientOptions } from './client.js';
export { DEFAULT_MAX_RUN_BYTES } from './run-budget.js';
