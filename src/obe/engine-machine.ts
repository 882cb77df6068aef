import { setup } from 'xstate';

/** What the engine lifecycle machine asks its owner to do. */
export interface EngineMachineEffects {
  /** Starts a fresh worker thread (the previous one, if any, is already gone). */
  readonly spawnWorker: () => void;
  /** Terminates the current worker thread. */
  readonly terminateWorker: () => void;
  /** Queues the command that woke the engine until the worker is ready. */
  readonly enqueue: (id: number) => void;
  /** Posts every queued command to the worker that has just become ready. */
  readonly flushQueue: () => void;
  /** Answers every queued and in-flight command with the error of the event. */
  readonly failAll: (error: Error) => void;
}

/**
 * Events of an engine actor: the lifecycle edges of its worker thread, and `COMMAND` for a command
 * that finds no worker (idle or crashed) and so starts one. Commands to a starting or running
 * worker do not go through the machine: the actor reads the machine's state and queues or posts
 * them itself, so the machine hears edges, never one event per command. A command's data stays
 * with the owner; the event carries its id.
 */
export type EngineMachineEvent =
  | { type: 'START' }
  | { type: 'COMMAND'; id: number }
  | { type: 'WORKER_READY' }
  | { type: 'WORKER_FAILED'; error: Error }
  | { type: 'RESTART'; error: Error }
  | { type: 'STOP'; error: Error };

/**
 * The lifecycle of one engine in a worker thread:
 *
 * ```
 * idle --START/COMMAND--> starting --WORKER_READY--> running
 *                            |                          | WORKER_FAILED (exit, uncaught error)
 *                            +------WORKER_FAILED-----> crashed --COMMAND/RESTART--> starting
 * any --STOP--> stopped
 * ```
 *
 * The actor queues commands arriving while starting and posts them in arrival order once the
 * worker is ready (`flushQueue`); the worker runs them one at a time in that order. A crash answers every pending command
 * with an error; the next command (or RESTART) starts a new worker.
 */
export const engineMachine = setup({
  types: {
    context: {} as EngineMachineEffects,
    events: {} as EngineMachineEvent,
    input: {} as EngineMachineEffects,
  },
  actions: {
    spawnWorker: ({ context }) => context.spawnWorker(),
    terminateWorker: ({ context }) => context.terminateWorker(),
    enqueue: ({ context, event }) => {
      if (event.type === 'COMMAND') context.enqueue(event.id);
    },
    flushQueue: ({ context }) => context.flushQueue(),
    failAll: ({ context, event }) => {
      if (event.type === 'WORKER_FAILED' || event.type === 'STOP' || event.type === 'RESTART') context.failAll(event.error);
    },
  },
}).createMachine({
  id: 'obeEngine',
  context: ({ input }) => input,
  initial: 'idle',
  on: { STOP: { target: '.stopped', actions: ['terminateWorker', 'failAll'] } },
  states: {
    idle: {
      on: {
        START: 'starting',
        COMMAND: { target: 'starting', actions: 'enqueue' },
      },
    },
    starting: {
      entry: 'spawnWorker',
      on: {
        WORKER_READY: { target: 'running', actions: 'flushQueue' },
        WORKER_FAILED: { target: 'crashed', actions: ['terminateWorker', 'failAll'] },
      },
    },
    running: {
      on: {
        WORKER_FAILED: { target: 'crashed', actions: ['terminateWorker', 'failAll'] },
        RESTART: { target: 'starting', actions: ['terminateWorker', 'failAll'] },
      },
    },
    crashed: {
      on: {
        COMMAND: { target: 'starting', actions: 'enqueue' },
        RESTART: 'starting',
      },
    },
    stopped: { type: 'final' },
  },
});
