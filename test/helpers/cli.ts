import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/actorwire.js', import.meta.url));

/** A process (a CLI of ours run from source, or a peer), with its output collected. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern` (rejects on exit or after `timeoutMs`). */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** Runs `actorwire <args>` from the TypeScript sources. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return runProcess(process.execPath, [BIN, ...args], { ACTORWIRE_FROM_SOURCE: '1', ...env });
}

/** Runs a Python peer of `test/peers/` (`python3 <script> <args>`) with its output collected. */
export function runPython(script: string, args: string[]): CliProcess {
  return runProcess('python3', [fileURLToPath(new URL(`../peers/${script}`, import.meta.url)), ...args]);
}

/**
 * Starts a Python server peer of `test/peers/` and resolves once it prints the line matching
 * `ready`, whose first group is the port it bound.
 */
export async function startPythonServer(script: string, args: string[], ready: RegExp): Promise<{ server: CliProcess; port: number }> {
  const server = runPython(script, args);
  try {
    const [, port] = await server.line(ready);
    return { server, port: Number(port) };
  } catch (err) {
    server.child.kill('SIGKILL');
    throw err;
  }
}

/** The lines a process has printed so far that are JSON objects, parsed. */
export function jsonLines<T = Record<string, unknown>>(process: CliProcess): T[] {
  return process
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);
}

/** Runs any command with its output collected. */
export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    listeners.forEach((l) => l());
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  void exited.then(() => listeners.forEach((l) => l()));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    line(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const l of out.split('\n')) {
            const m = l.match(pattern);
            if (m) {
              finish();
              resolve(m);
              return;
            }
          }
          if (done) {
            finish();
            reject(new Error(`process exited before printing ${pattern}; stdout=${out} stderr=${err}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout=${out} stderr=${err}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs a command to completion and returns its exit code and output. */
export function runToEnd(command: string, args: string[], timeoutMs = 30_000): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs} ms; stdout=${stdout} stderr=${stderr}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? -1, stdout, stderr });
    });
  });
}

/** `actorwire <args>` from source, to completion. */
export function runCliToEnd(args: string[], timeoutMs?: number) {
  return runToEnd(process.execPath, [BIN, ...args], timeoutMs);
}
