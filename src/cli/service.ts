import type { ListenAddress } from '../actors/server.js';

/** A service as the CLI runs it: started, then stopped on a signal or by itself. */
export interface RunningService {
  readonly name: string;
  readonly address: ListenAddress;
  /** Resolves when the service stops by itself (e.g. a oneline `shutdown`). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

/** Prints the line scripts wait for: `<service> listening on <host>:<port>`. */
export function announce(service: RunningService): void {
  process.stdout.write(`${service.name} listening on ${service.address.host}:${service.address.port}\n`);
}

/**
 * Stops every service on SIGINT/SIGTERM, or when the first of them stops by itself; resolves
 * when all are stopped.
 */
export async function runUntilStopped(services: RunningService[]): Promise<void> {
  let stopping: Promise<unknown> | undefined;
  const stopAll = (): Promise<unknown> => (stopping ??= Promise.all(services.map((s) => s.stop())));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  await Promise.race(services.map((s) => s.stopped));
  await stopAll();
  process.off('SIGINT', stopAll);
  process.off('SIGTERM', stopAll);
}
