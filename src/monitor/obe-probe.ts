import { Buffer } from 'node:buffer';
import type { EngineCommand, EngineOutcome } from '../obe/engine-commands.js';
import { DEFAULT_PARTICLES, type RunSpec } from '../obe/run-spec.js';
import type { ObeCommandObserver, ObeServer } from '../obe/server.js';
import { pythonJsonLoads } from '../protocols/obe/python-json-parse.js';
import type { ObeSample } from './snapshot.js';

/** Points kept per run; beyond it every other point is dropped, so a long run keeps its whole shape. */
export const MAX_OBE_POINTS = 1000;

function numbers(body: Uint8Array): number[] | undefined {
  const value = pythonJsonLoads(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1'));
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
}

function modelName(spec: RunSpec): string {
  return typeof spec.model === 'string' ? spec.model : `${spec.model.module}#${spec.model.export ?? 'default'}`;
}

/**
 * Follows one OBE server for the monitor. As the server's {@link ObeCommandObserver} it counts,
 * per command outcome, runs and steps and keeps a reference to the last setting's reply (no
 * parsing on the reply path). When sampled, and only if a step was taken since the last sample,
 * it reads getmean and getstd from the engine (answered from the engine's snapshot, without a
 * thread hop, docs/ARCHITECTURE.md "Engine actors") and appends them to the run's series: the
 * posterior narrowing, step by step as sampled.
 */
export class ObeProbe implements ObeCommandObserver {
  private spec: RunSpec | undefined;
  private active = false;
  private steps = 0;
  private runsTotal = 0;
  private lastSetting: Uint8Array | undefined;
  private fetching = false;
  /** The step whose moments were last read; -1 when none were for this run. */
  private fetchedStep = -1;
  private seriesSteps: number[] = [];
  private mean: number[][] = [];
  private std: number[][] = [];

  constructor(
    readonly name: string,
    private readonly server: ObeServer,
  ) {
    this.spec = server.configuredRun;
    server.observe(this);
  }

  /** Stops following the server. */
  detach(): void {
    this.server.observe(undefined);
  }

  commandRan(command: EngineCommand, outcome: EngineOutcome): void {
    if (!outcome.ok) return;
    switch (command.op) {
      case 'newdat':
        this.steps++;
        return;
      case 'goodset':
      case 'optset':
        this.lastSetting = outcome.body;
        return;
      case 'newrun':
        this.startRun(this.server.configuredRun);
        return;
      case 'startrun':
        this.startRun(command.spec);
        return;
      case 'endrun':
        this.active = false;
        return;
      default:
    }
  }

  /**
   * The server's state now; unless `advance` is false (a scrape), starts a read of the moments
   * when a step was taken since the last one.
   */
  sample(advance = true): ObeSample {
    if (advance) this.refresh();
    const stats = this.server.stats();
    const spec = this.spec;
    const core = this.active ? stats.engine.core : undefined;
    return {
      name: this.name,
      engine: this.server.engine.status,
      run: {
        active: this.active,
        model: spec ? modelName(spec) : null,
        particles: spec ? (spec.particles ?? DEFAULT_PARTICLES) : null,
        parameters: spec ? spec.prior.map((p, i) => p.name ?? `p${i}`) : [],
        steps: this.steps,
        resamples: core?.resamples ?? null,
        threads: core?.threads ?? null,
        effectiveSampleSize: core?.effectiveSampleSize ?? null,
        runsTotal: this.runsTotal,
        lastSetting: this.lastSetting ? (numbers(this.lastSetting) ?? null) : null,
      },
      series: { steps: [...this.seriesSteps], mean: this.mean.map((m) => [...m]), std: this.std.map((s) => [...s]) },
      requestsTotal: stats.requests,
      errorRepliesTotal: stats.errorReplies,
      byCommand: { ...stats.byCommand },
      engineCrashesTotal: stats.engine.crashes,
    };
  }

  private startRun(spec: RunSpec | undefined): void {
    this.spec = spec;
    this.active = true;
    this.steps = 0;
    this.runsTotal++;
    this.fetchedStep = -1;
    this.seriesSteps = [];
    this.mean = [];
    this.std = [];
    this.lastSetting = undefined;
  }

  private refresh(): void {
    // Only a running engine is asked: a command to a crashed one would start a new worker.
    if (this.fetching || this.steps === this.fetchedStep || this.server.engine.status !== 'running') return;
    this.fetching = true;
    const step = this.steps;
    const run = this.runsTotal;
    const engine = this.server.engine;
    void Promise.all([engine.send({ op: 'getmean' }), engine.send({ op: 'getstd' })]).then(([m, s]) => {
      this.fetching = false;
      if (run !== this.runsTotal) return;
      this.fetchedStep = step;
      if (!m.ok || !s.ok) {
        if (m.ok === false && m.code === 'NO_RUN') this.active = false;
        return;
      }
      this.active = true;
      const mean = numbers(m.body);
      const std = numbers(s.body);
      if (mean && std) this.append(step, mean, std);
    });
  }

  private append(step: number, mean: number[], std: number[]): void {
    if (this.seriesSteps.length >= MAX_OBE_POINTS) {
      const keep = (_: unknown, i: number): boolean => i % 2 === 1;
      this.seriesSteps = this.seriesSteps.filter(keep);
      this.mean = this.mean.map((m) => m.filter(keep));
      this.std = this.std.map((s) => s.filter(keep));
    }
    this.seriesSteps.push(step);
    for (let p = 0; p < mean.length; p++) {
      (this.mean[p] ??= []).push(mean[p]);
      (this.std[p] ??= []).push(std[p] ?? NaN);
    }
  }
}
