/**
 * One SVG per run, drawn with vega-lite (compiled to vega and rendered headless in Node): the
 * measured points with the curve of the final estimate, and the f0 estimate (mean ± std) over the
 * measurement steps.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { lorentzianDip } from './instrument.js';

/** One step of a run. */
export interface TrailStep {
  step: number;
  /** The setting the server chose (GHz). */
  f: number;
  /** The measured value. */
  y: number;
  /** Posterior mean and std of (f0, A, lw) after the update. */
  mean: number[];
  std: number[];
}

/** What a plot needs to know about a run. */
export interface RunRecord {
  title: string;
  lolim: number;
  hilim: number;
  steps: number;
  truth: { f0: number; a: number; lw: number; sigma: number };
  trail: TrailStep[];
}

/** The vega-lite spec of a run's figure. */
export function runFigureSpec(run: RunRecord): TopLevelSpec {
  const last = run.trail[run.trail.length - 1];
  const [f0, a, lw] = last.mean;
  const curve = Array.from({ length: 400 }, (_, i) => {
    const f = run.lolim + ((run.hilim - run.lolim) * i) / 399;
    return { f, y: lorentzianDip(f, f0, a, lw) };
  });
  const points = run.trail.map((s) => ({ f: s.f, y: s.y }));
  const trail = run.trail.map((s) => ({ step: s.step, f0: s.mean[0], low: s.mean[0] - s.std[0], high: s.mean[0] + s.std[0] }));
  const fScale = { domain: [run.lolim, run.hilim] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: run.title,
    vconcat: [
      {
        width: 520,
        height: 240,
        title: 'measurements and estimated curve',
        layer: [
          {
            data: { values: points },
            mark: { type: 'point', filled: true, size: 18, opacity: 0.6 },
            encoding: {
              x: { field: 'f', type: 'quantitative', title: 'frequency f (GHz)', scale: fScale },
              y: { field: 'y', type: 'quantitative', title: 'signal', scale: { zero: false } },
            },
          },
          {
            data: { values: curve },
            mark: { type: 'line', color: '#d62728' },
            encoding: { x: { field: 'f', type: 'quantitative', scale: fScale }, y: { field: 'y', type: 'quantitative' } },
          },
        ],
      },
      {
        width: 520,
        height: 160,
        title: 'f0 estimate: mean ± std',
        data: { values: trail },
        layer: [
          {
            mark: { type: 'area', opacity: 0.3 },
            encoding: {
              x: { field: 'step', type: 'quantitative', title: 'measurement' },
              y: { field: 'low', type: 'quantitative', title: 'f0 (GHz)', scale: { zero: false } },
              y2: { field: 'high' },
            },
          },
          { mark: 'line', encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'f0', type: 'quantitative' } } },
          // One row of its own, or the layer's data would draw the same rule once per step.
          { data: { values: [{ f0: run.truth.f0 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#2ca02c' }, encoding: { y: { field: 'f0', type: 'quantitative' } } },
        ],
      },
    ],
  };
}

/** Renders a run's figure as SVG text. */
export async function renderRunSvg(run: RunRecord): Promise<string> {
  const view = new vega.View(vega.parse(compile(runFigureSpec(run)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
