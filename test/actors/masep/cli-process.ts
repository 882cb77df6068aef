import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A child process with its collected output and exit code. */
export interface Child {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves once stdout (or stderr) has text matching `pattern`, with the match. */
  line(pattern: RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
}

/** Runs `command args` from the repository root, collecting output. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ACTORWIRE_FROM_SOURCE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => {
    waiters.splice(0).forEach((w) => w());
    resolve(code ?? signal ?? -1);
  }));
  let done = false;
  void exited.then(() => (done = true));
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async line(pattern, timeoutMs = 20_000, stream = 'stdout') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = (stream === 'stdout' ? out : err).match(pattern);
        if (match) return match;
        if (done || Date.now() > deadline) throw new Error(`no line ${pattern} in stdout ${JSON.stringify(out)}; stderr ${err}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

/** Runs the actorwire CLI from source. */
export function actorwire(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  return run(process.execPath, ['bin/actorwire.js', ...args], env);
}
