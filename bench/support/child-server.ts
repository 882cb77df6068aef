import { spawn, type ChildProcess } from 'node:child_process';

const STOP_GRACE_MS = 10_000;

/** A server process started for a benchmark, with the port it announced. */
export interface ChildServer {
  port: number;
  /** The server's process id (e.g. to read its CPU time). */
  pid: number;
  /** Bytes the server wrote to stderr so far (0 unless started with `countStderr`). */
  stderrBytes(): number;
  /** Resolves with the first stdout line matching `pattern` (e.g. a second `listening on` line). */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/**
 * Spawns `command args` and waits for its `<name> listening on <host>:<port>` line (at most
 * `timeoutMs`), so benchmarks measure servers in their own process, as users run them.
 */
export function startChildServer(command: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000, countStderr = false): Promise<ChildServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', countStderr ? 'pipe' : 'inherit'], env: { ...process.env, ...env } });
  let stderrBytes = 0;
  // Counted, not kept: a flood of log lines is what some callers measure.
  child.stderr?.on('data', (d: Buffer) => void (stderrBytes += d.length));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: no listening line within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on [^:\s]+:(\d+)/);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      // Later lines are kept (the first few KiB: servers print little) for `line`.
      const waiters = new Set<() => void>();
      child.stdout!.on('data', (d: Buffer) => {
        if (out.length < 65_536) out += d.toString();
        for (const wake of waiters) wake();
      });
      resolve({
        line: (pattern, lineTimeoutMs = 30_000) =>
          new Promise((found, fail) => {
            const check = (): void => {
              const match = out.split('\n').map((l) => l.match(pattern)).find((m) => m !== null);
              if (!match) return;
              waiters.delete(check);
              clearTimeout(giveUp);
              found(match);
            };
            const giveUp = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`${args.join(' ')}: no line ${pattern} within ${lineTimeoutMs} ms`));
            }, lineTimeoutMs);
            waiters.add(check);
            check();
          }),
        port: Number(m[1]),
        pid: child.pid!,
        stderrBytes: () => stderrBytes,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            // A server that does not stop within STOP_GRACE_MS of SIGTERM is killed.
            const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before listening`));
    });
  });
}
