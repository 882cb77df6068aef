import { request, type ClientRequest } from 'node:http';
import { startChildServer, type ChildServer } from './child-server.js';

/** What turns the live monitor on for a CLI server (docs/MONITOR.md): a free loopback port. */
export const MONITOR_ARGS = ['--monitor', '127.0.0.1:0'] as const;

/**
 * Opens the monitor's page of a server started with {@link MONITOR_ARGS} as a browser keeps it
 * open: one `/api/events` stream read as it comes (the server samples and pushes 5 updates a
 * second while it is watched). Resolves once the first update arrived; call the result to close.
 */
export async function openMonitorPage(server: ChildServer): Promise<() => void> {
  const [, host, port] = await server.line(/^monitor listening on ([^:\s]+):(\d+)$/);
  let req: ClientRequest | undefined;
  await new Promise<void>((resolve, reject) => {
    req = request({ host, port: Number(port), path: '/api/events' }, (res) => {
      res.on('data', () => resolve());
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
  return () => req?.destroy();
}

/**
 * Starts a CLI server (`node <args>`) with {@link MONITOR_ARGS} and its monitor page open; stopping
 * it closes the page first.
 */
export async function startMonitoredServer(args: readonly string[]): Promise<ChildServer> {
  const server = await startChildServer(process.execPath, [...args, ...MONITOR_ARGS]);
  const closePage = await openMonitorPage(server);
  return {
    ...server,
    stop: () => {
      closePage();
      return server.stop();
    },
  };
}
