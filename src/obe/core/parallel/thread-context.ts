/**
 * What one thread of the particle pool keeps between kernel calls (`pool-kernels.ts`): the
 * pairwise shapes and update chunks per particle count, the models it has loaded, and scratch. The
 * calling thread and every worker hold one each.
 */

import { UpdateChunks } from '../likelihood-products.js';
import { loadModelModule } from '../model-module.js';
import { builtinModel } from '../models/index.js';
import { ModelEvaluator, type Model, type ModelDefinition } from '../model.js';
import { PairwiseTree } from '../pairwise-tree.js';
import { ResampleScratch } from '../resample-blocks.js';
import { ParticlePoolError } from '../errors.js';
import type { KernelContext } from './pool-kernels.js';

/** A model as the pool loads it in every thread: a built-in name, or a module's export. */
export type PoolModelSource = { readonly builtin: string } | { readonly module: string; readonly export?: string };

/** The dimensions of a model, fixed by the engine that uses it. */
export interface PoolModelShape {
  readonly nSettings: number;
  readonly nParams: number;
  readonly nChannels: number;
  readonly constants: readonly number[];
}

/** {@link KernelContext} over plain maps; models are added by {@link ThreadContext.addModel}. */
export class ThreadContext implements KernelContext {
  private treeN = -1;
  private treeValue: PairwiseTree | undefined;
  private chunksValue: UpdateChunks | undefined;
  private readonly models = new Map<number, ModelEvaluator>();
  private scratchY: Float64Array[] = [];
  private scratchL = new Float64Array(0);
  private units: Float64Array[] = [];
  private settingBuf = new Float64Array(0);
  readonly resampleScratch = new ResampleScratch();

  tree(n: number): PairwiseTree {
    if (this.treeN !== n || this.treeValue === undefined) {
      this.treeValue = new PairwiseTree(n);
      this.chunksValue = new UpdateChunks(this.treeValue);
      this.treeN = n;
    }
    return this.treeValue;
  }

  chunks(n: number): UpdateChunks {
    this.tree(n);
    return this.chunksValue as UpdateChunks;
  }

  model(id: number): ModelEvaluator {
    const m = this.models.get(id);
    if (m === undefined) throw new ParticlePoolError(`model ${id} is not loaded in this thread`);
    return m;
  }

  chunkScratch(channels: number, length: number): { readonly y: readonly Float64Array[]; readonly l: Float64Array } {
    if (this.scratchY.length !== channels || this.scratchL.length < length) {
      this.scratchY = Array.from({ length: channels }, () => new Float64Array(length));
      this.scratchL = new Float64Array(length);
    }
    return { y: this.scratchY, l: this.scratchL };
  }

  settingScratch(length: number): Float64Array {
    if (this.settingBuf.length < length) this.settingBuf = new Float64Array(length);
    return this.settingBuf;
  }

  unitRows(count: number): Float64Array[] {
    while (this.units.length < count) this.units.push(new Float64Array(1));
    return this.units;
  }

  /** Binds `model` under `id` with the engine's dimensions (no probe evaluation). */
  addModel(id: number, model: Model, shape: PoolModelShape): void {
    const def: ModelDefinition = typeof model === 'function' ? { point: model } : model;
    const probeS = new Float64Array(shape.nSettings);
    const probeP = new Float64Array(shape.nParams);
    this.models.set(id, new ModelEvaluator({ ...def, nChannels: shape.nChannels }, shape.nSettings, shape.nParams, shape.constants, probeS, probeP));
  }
}

/** Loads a model from its source (a module is imported; its named export, or the default one). */
export async function loadPoolModel(source: PoolModelSource): Promise<Model> {
  if ('builtin' in source) return builtinModel(source.builtin);
  return loadModelModule(source, (message) => new ParticlePoolError(message));
}
