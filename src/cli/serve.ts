import type { Command } from 'commander';
import { startOnelineService, ONELINE_DEFAULT_PORT } from './oneline.js';
import { exitCodeOf } from './command-tree.js';
import { MASEP_DEFAULT_PORT, startMasepService } from './masep.js';
import { startObeService } from './obe.js';
import { OBE_DEFAULT_PORT } from '../obe/server.js';
import { RSB_DEFAULT_PORT, startRsbService } from './rsb.js';
import { runUntilStopped, type RunningService } from './service.js';

/**
 * `actorwire serve`: every service on its default loopback port, on embedded defaults.
 * If one cannot start, the others are stopped and the error is reported.
 */
export async function serveAll(options: { host: string }): Promise<number> {
  const starters: Array<() => Promise<RunningService>> = [
    () => startOnelineService({ host: options.host, port: ONELINE_DEFAULT_PORT }),
    () => startMasepService({ host: options.host, port: MASEP_DEFAULT_PORT }),
    () => startRsbService({ host: options.host, port: RSB_DEFAULT_PORT }),
    // An OBE client's `done` ends its run here instead of stopping every service.
    () => startObeService({ host: options.host, port: OBE_DEFAULT_PORT, onDone: 'end-run' }),
  ];
  const services: RunningService[] = [];
  try {
    for (const start of starters) services.push(await start());
  } catch (err) {
    await Promise.all(services.map((s) => s.stop()));
    throw err;
  }
  await runUntilStopped(services);
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
    .action(exitCodeOf((options: { host: string }) => serveAll(options)));
}
