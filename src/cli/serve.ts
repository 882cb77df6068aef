import { startOnelineService, ONELINE_DEFAULT_PORT } from './oneline.js';
import { parseCommandLine } from './arguments.js';
import { MASEP_DEFAULT_PORT, startMasepService } from './masep.js';
import { startObeService } from './obe.js';
import { OBE_DEFAULT_PORT } from '../obe/server.js';
import { RSB_DEFAULT_PORT, startRsbService } from './rsb.js';
import { runUntilStopped, type RunningService } from './service.js';

/**
 * `actorwire serve`: every service on its default loopback port, on embedded defaults.
 * If one cannot start, the others are stopped and the error is reported.
 */
export async function serveAll(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { host: { type: 'string', default: '127.0.0.1' } });
  const starters: Array<() => Promise<RunningService>> = [
    () => startOnelineService({ host: values.host, port: ONELINE_DEFAULT_PORT }),
    () => startMasepService({ host: values.host, port: MASEP_DEFAULT_PORT }),
    () => startRsbService({ host: values.host, port: RSB_DEFAULT_PORT }),
    // An OBE client's `done` ends its run here instead of stopping every service.
    () => startObeService({ host: values.host, port: OBE_DEFAULT_PORT, onDone: 'end-run' }),
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
