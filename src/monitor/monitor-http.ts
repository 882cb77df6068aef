import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Subscription } from 'rxjs';
import type { ListenAddress } from '../actors/server.js';
import { createLogger } from '../logger.js';
import { MonitorError } from './errors.js';
import { MonitorMetrics } from './metrics.js';
import type { MonitorAddress } from './monitor-address.js';
import type { Monitor, SnapshotQuery } from './monitor.js';
import { loadPageAssets, type PageAsset } from './page-assets.js';

const log = createLogger('monitor.http');

/** Headers of every reply: the page and the API change nothing and are never cached. */
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** Reads the page query of `/api/snapshot` and `/api/events`. */
export function snapshotQuery(url: URL): SnapshotQuery {
  const int = (name: string): number | undefined => {
    const text = url.searchParams.get(name);
    if (text === null || !/^\d+$/.test(text)) return undefined;
    return Number(text);
  };
  return { offset: int('offset'), limit: int('limit'), scopeOffset: int('scopeOffset'), scopeLimit: int('scopeLimit') };
}

/**
 * The monitor's HTTP side (docs/MONITOR.md), read-only: `GET /` the page (with its script, its
 * style and uPlot under `/vendor/`), `/api/snapshot` the {@link MonitorSnapshot} as JSON,
 * `/api/events` the same as Server-Sent Events after every sampling (at most 10 a second; a
 * client that does not keep up misses updates instead of queueing them), `/metrics` the
 * Prometheus text. Anything but GET and HEAD gets 405.
 *
 * @example
 * ```ts
 * const http = await MonitorHttp.listen(monitor, { host: '127.0.0.1', port: 0 });
 * console.log(`monitor listening on ${http.address.host}:${http.address.port}`);
 * await http.close();
 * ```
 */
export class MonitorHttp {
  private readonly streams = new Set<ServerResponse>();

  private constructor(
    private readonly monitor: Monitor,
    private readonly http: HttpServer,
    private readonly assets: ReadonlyMap<string, PageAsset>,
    private readonly metrics: MonitorMetrics,
    /** The bound address. */
    readonly address: ListenAddress,
  ) {}

  /**
   * Serves `monitor` on `address` (port 0: a free port).
   * @throws {@link MonitorError} `MONITOR_LISTEN_FAILED` when the address cannot be bound.
   */
  static async listen(monitor: Monitor, address: MonitorAddress): Promise<MonitorHttp> {
    const assets = loadPageAssets();
    const metrics = new MonitorMetrics(monitor);
    let instance: MonitorHttp | undefined;
    const http = createServer((req, res) => instance?.handle(req, res));
    const bound = await new Promise<ListenAddress>((resolve, reject) => {
      http.once('error', (err) => reject(new MonitorError('MONITOR_LISTEN_FAILED', `the monitor cannot listen on ${address.host}:${address.port}: ${err.message}`, { cause: err })));
      http.listen(address.port, address.host, () => {
        const info = http.address() as AddressInfo;
        resolve({ host: info.address, port: info.port });
      });
    });
    http.on('error', (err) => log.error('monitor HTTP server error', { error: err }));
    instance = new MonitorHttp(monitor, http, assets, metrics, bound);
    return instance;
  }

  /** Ends the event streams and stops listening. */
  close(): Promise<void> {
    for (const res of this.streams) res.end();
    this.streams.clear();
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...COMMON_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('the monitor is read-only\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://monitor.invalid');
    const asset = this.assets.get(url.pathname);
    if (asset) {
      res.writeHead(200, { ...COMMON_HEADERS, 'content-type': asset.contentType, 'content-length': asset.body.length });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    switch (url.pathname) {
      case '/api/snapshot': {
        const body = JSON.stringify(this.monitor.snapshot(snapshotQuery(url)));
        res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      case '/api/events':
        this.stream(req, res, snapshotQuery(url));
        return;
      case '/metrics':
        this.metrics.text().then(
          (text) => {
            res.writeHead(200, { ...COMMON_HEADERS, 'content-type': this.metrics.registry.contentType });
            res.end(req.method === 'HEAD' ? undefined : text);
          },
          (err: unknown) => {
            log.error('metrics failed', { error: err instanceof Error ? err : String(err) });
            res.writeHead(500, COMMON_HEADERS).end();
          },
        );
        return;
      default:
        res.writeHead(404, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    }
  }

  /** An SSE stream: one `snapshot` event now and after every sampling while the client keeps up. */
  private stream(req: IncomingMessage, res: ServerResponse, query: SnapshotQuery): void {
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    this.streams.add(res);
    const unwatch = this.monitor.watch();
    let blocked = false;
    const send = (): void => {
      if (blocked) return;
      // A slow reader skips updates rather than making them queue up here.
      blocked = !res.write(`event: snapshot\ndata: ${JSON.stringify(this.monitor.snapshot(query))}\n\n`);
    };
    res.on('drain', () => (blocked = false));
    res.write('retry: 2000\n\n');
    send();
    const subscription: Subscription = this.monitor.sampled$.subscribe({ next: send, complete: () => res.end() });
    res.once('close', () => {
      subscription.unsubscribe();
      unwatch();
      this.streams.delete(res);
    });
  }
}
