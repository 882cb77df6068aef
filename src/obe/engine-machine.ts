import { setup } from 'xstate';

/** What the engine lifecycle machine asks its owner to do. */
export interface EngineMachineEffects {
  /** Starts a fresh worker thread (the previous one, if any, is already gone). */
  readonly spawnWorker: () => void;
  /** Terminates the current worker thread. */
  readonly terminateWorker: () => void;
  /** Queues a command until the worker is ready. */
  readonly enqueue: (id: number) => void;
  /** Posts a command to the running worker. */
  readonly forward: (id: number) => void;
  /** Posts every queued command to the worker that has just become ready. */
  readonly flushQueue: () => void;
  /** Answers every queued and in-flight command with the error of the event. */
  readonly failAll: (error: Error) => void;
}

/**
 * Events of an engine actor: one per command and one per lifecycle edge of the worker thread.
 * A command's data stays with the owner; the event carries its id.
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
 * Commands arriving while starting are queued and forwarded in arrival order once the worker is
 * ready; the worker runs them one at a time in that order. A crash answers every pending command
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
    forward: ({ context, event }) => {
      if (event.type === 'COMMAND') context.forward(event.id);
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
        COMMAND: { actions: 'enqueue' },
        WORKER_READY: { target: 'running', actions: 'flushQueue' },
        WORKER_FAILED: { target: 'crashed', actions: ['terminateWorker', 'failAll'] },
      },
    },
    running: {
      on: {
        COMMAND: { actions: 'forward' },
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
