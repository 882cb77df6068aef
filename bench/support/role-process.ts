import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A benchmark role (informer, listener, bus, ...) in its own process, started with this process's
 * exec arguments (so tsx carries over), reporting results as one JSON value per stdout line.
 */
export interface RoleProcess {
  child: ChildProcess;
  /** The next JSON line the role prints. */
  next(): Promise<unknown>;
  exited: Promise<number | null>;
}

/** Starts `script args` as a role process. */
export function spawnRole(script: string, args: string[]): RoleProcess {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const queue: unknown[] = [];
  const waiting: Array<(value: unknown) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const value: unknown = JSON.parse(line);
    const wake = waiting.shift();
    if (wake) wake(value);
    else queue.push(value);
  });
  return {
    child,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

/** Runs `phase`, killing the roles' processes if it takes longer than `timeoutMs`. */
export async function bounded<T>(name: string, roles: RoleProcess[], phase: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const r of roles) r.child.kill('SIGKILL');
      reject(new Error(`${name}: no result within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([phase, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
