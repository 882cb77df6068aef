import type { ListenAddress } from '../actors/server.js';
import type { Monitor } from '../monitor/monitor.js';

/** A service as the CLI runs it: started, then stopped on a signal or by itself. */
export interface RunningService {
  readonly name: string;
  readonly address: ListenAddress;
  /** Resolves when the service stops by itself (e.g. a oneline `shutdown`). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
  /** Registers the service with the monitor (`--monitor`, docs/MONITOR.md). */
  watch?(monitor: Monitor): void;
}

/** Prints the line scripts wait for: `<service> listening on <host>:<port>`. */
export function announce(service: RunningService): void {
  process.stdout.write(`${service.name} listening on ${service.address.host}:${service.address.port}\n`);
}
