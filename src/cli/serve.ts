import type { Command } from 'commander';
import { portArgument } from './arguments.js';
import { DEFAULT_MONITOR_ADDRESS, type MonitorAddress } from '../monitor/monitor-address.js';
import { MONITOR_OPTION_HELP, monitorArgument } from './monitor-service.js';
import { startOnelineService, ONELINE_DEFAULT_PORT } from './oneline.js';
import { exitCodeOf } from './command-tree.js';
import { MASEP_DEFAULT_PORT, startMasepService } from './masep.js';
import { startObeService } from './obe.js';
import { OBE_DEFAULT_PORT } from '../obe/server.js';
import { RSB_DEFAULT_PORT, startRsbService } from './rsb.js';
import { runUntilStopped, type RunningService } from './service.js';

/** Flags of `actorwire serve`. */
export interface ServeAllOptions {
  host: string;
  onelinePort: number;
  masepPort: number;
  rsbPort: number;
  obePort: number;
  /** Where the monitor listens; false with `--no-monitor`; undefined: 127.0.0.1:4444 if it is free. */
  monitor?: MonitorAddress | false;
}

/**
 * `actorwire serve`: every service on its default loopback port, on embedded defaults, and the
 * monitor on 127.0.0.1:4444 (docs/MONITOR.md). If one cannot start, the others are stopped and
 * the error is reported; the default monitor's port being taken only costs a warning.
 */
export async function serveAll(options: ServeAllOptions): Promise<number> {
  const starters: Array<() => Promise<RunningService>> = [
    () => startOnelineService({ host: options.host, port: options.onelinePort }),
    () => startMasepService({ host: options.host, port: options.masepPort }),
    () => startRsbService({ host: options.host, port: options.rsbPort }),
    // An OBE client's `done` ends its run here instead of stopping every service.
    () => startObeService({ host: options.host, port: options.obePort, onDone: 'end-run' }),
  ];
  const services: RunningService[] = [];
  try {
    for (const start of starters) services.push(await start());
  } catch (err) {
    await Promise.all(services.map((s) => s.stop()));
    throw err;
  }
  await runUntilStopped(services, options.monitor ?? { address: DEFAULT_MONITOR_ADDRESS, optional: true });
  return 0;
}

/** Adds `actorwire serve`. */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description(
      `every service on its default port (oneline ${ONELINE_DEFAULT_PORT}, masep ${MASEP_DEFAULT_PORT}, rsb ${RSB_DEFAULT_PORT}, obe ${OBE_DEFAULT_PORT}) until Ctrl-C or SIGTERM`,
    )
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--oneline-port <port>', 'oneline port (0: a free one, printed)', portArgument, ONELINE_DEFAULT_PORT)
    .option('--masep-port <port>', 'masep engine port', portArgument, MASEP_DEFAULT_PORT)
    .option('--rsb-port <port>', 'RSB bus port', portArgument, RSB_DEFAULT_PORT)
    .option('--obe-port <port>', 'OBE port', portArgument, OBE_DEFAULT_PORT)
    .option('--monitor <[host:]port>', `${MONITOR_OPTION_HELP}; default ${DEFAULT_MONITOR_ADDRESS.host}:${DEFAULT_MONITOR_ADDRESS.port} (a warning if it is taken)`, monitorArgument)
    .option('--no-monitor', 'no monitor')
    .action(exitCodeOf((options: ServeAllOptions) => serveAll(options)));
}
