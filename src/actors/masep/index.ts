/**
 * pymasep engines and interfaces (spec §5), a small API to write games and agents in TypeScript,
 * the demo games and UDP discovery. Entry point `actorwire/masep`.
 * @packageDocumentation
 */
export { MasepActorError, type MasepActorErrorCode } from './errors.js';
export { createInProcessLinks, type InProcessLinkOptions, type MasepLink } from './link.js';
export {
  createGameRegistry,
  type Coordination,
  type EpisodeContext,
  type GameDefinition,
  type GameRegistry,
  type GameView,
  type StepOutcome,
} from './game.js';
export type { AgentObservation, Policy } from './policy.js';
export {
  EMPTY_BELIEF_GRAPHML,
  EXTERNAL_CONTROLLER,
  ObservationView,
  SYSTEM_OBJECT,
  buildObservationState,
  observationInfo,
  type ObservationFrame,
} from './observation-state.js';
export { engineLifecycleMachine, type EngineLifecycleEvent, type EngineLifecycleInput } from './engine-lifecycle.js';
export {
  MasepEngine,
  type ActionTimeoutPolicy,
  type EpisodeSummary,
  type MasepEngineEvent,
  type MasepEngineOptions,
  type MasepEngineStats,
} from './engine.js';
export {
  MasepInterface,
  type InterfaceEnd,
  type MasepDialOptions,
  type MasepInterfaceOptions,
  type ReceivedObservation,
} from './masep-interface.js';
export { runSimulation, type SimulationOptions } from './simulation.js';
export { DiscoveryResponder, localAddressFacing, type DiscoveryResponderOptions } from './discovery-responder.js';
export { discoverEngine, discoverEngines, type DiscoveredEngine, type DiscoveryOptions } from './discovery-client.js';
export {
  DIRECTIONS,
  MOVE_ACTION,
  RESOURCE_NATURE,
  createResourceGrid,
  greedyPolicy,
  moveAction,
  randomPolicy,
  readGrid,
  type Direction,
  type ResourceGridOptions,
  type ResourceGridState,
} from './games/resource-grid.js';
export { RESOURCE_GRID, RESOURCE_GRID_TURNS, createDemoGames, demoGames } from './games/demo-games.js';
export { isPolicyPath, loadPolicyModule } from './policy-module.js';
export { parseActionSpec, plainToValue, toAction, type PlainAction, type PlainParam } from './generic-action.js';
export {
  AgentView,
  GenericObservation,
  ObjectView,
  type CharacteristicView,
  type ContainerView,
} from './generic-observation.js';
