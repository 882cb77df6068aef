import { connect as netConnect } from 'node:net';
import type { Protocol } from '../protocols/protocol.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { Connection } from './connection/connection.js';
import { ConnectionTemplate } from './connection/connection-template.js';
import type { ConnectionOptions } from './connection/options.js';
import { ConnectError, TimeoutError } from './errors.js';

/** Where and how to dial. */
export interface DialOptions {
  host?: string;
  port: number;
  /** Time allowed for TCP connect and handshake of one attempt, in ms. Default 5 000. */
  connectTimeoutMs?: number;
  /** Retries with jittered exponential backoff; default: one attempt. */
  retry?: BackoffOptions;
  /** Options of the resulting connection. */
  connection?: ConnectionOptions;
  /** Aborts the dial (between attempts or during one). */
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ConnectError('dial aborted', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function attempt<In, Out>(template: ConnectionTemplate<In, Out>, options: DialOptions): Promise<Connection<In, Out>> {
  const protocol = template.protocol;
  const socket = netConnect({ host: options.host ?? '127.0.0.1', port: options.port, allowHalfOpen: true });
  const connection = Connection.fromClientSocket(socket, template);
  const timeoutMs = options.connectTimeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => void connection.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([
      connection.whenOpen(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Reject before closing: closing settles whenOpen() with a less precise error.
          queueMicrotask(() => void connection.close());
          reject(new TimeoutError(`no ${protocol.name} connection to ${options.host ?? '127.0.0.1'}:${options.port} within ${timeoutMs} ms`, 'CONNECT_TIMEOUT'));
        }, timeoutMs);
      }),
    ]);
    return connection;
  } catch (err) {
    void connection.close();
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Opens a client connection and waits until its handshake is done, retrying with jittered
 * exponential backoff. Rejects with {@link ConnectError} (the last failure as `cause`).
 *
 * @example
 * ```ts
 * const conn = await dial(onelineProtocol(), { port, retry: { attempts: 5 } });
 * ```
 */
export async function dial<In, Out>(protocol: Protocol<In, Out>, options: DialOptions): Promise<Connection<In, Out>> {
  const attempts = options.retry?.attempts ?? 1;
  const template = new ConnectionTemplate(protocol, 'client', options.connection);
  let lastError: unknown;
  for (let n = 0; n < attempts; n++) {
    if (options.signal?.aborted) break;
    if (n > 0) await sleep(backoffDelay(n - 1, options.retry), options.signal);
    try {
      return await attempt(template, options);
    } catch (err) {
      lastError = err;
    }
  }
  const where = `${options.host ?? '127.0.0.1'}:${options.port}`;
  const why = lastError instanceof Error ? lastError.message : String(lastError ?? 'aborted');
  throw new ConnectError(`cannot connect to ${protocol.name} at ${where}: ${why}`, { cause: lastError });
}
