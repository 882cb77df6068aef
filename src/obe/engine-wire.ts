/**
 * How an engine actor and its worker thread write their messages into the shared-memory channel
 * (docs/ARCHITECTURE.md, "Engine actors"): the messages of every step (goodset, newdat, reads,
 * outcomes, snapshots) as compact binary records, the rare or large ones (`startrun` with its
 * spec, a failed start, reply bodies beyond the ring's record limit) through the port as
 * structured clones. Numbers travel as float64, so a command comes out exactly as it went in.
 */
import type { RecordCodec } from '../actors/threads/thread-channel.js';
import type { SharedRing } from '../actors/threads/shared-ring.js';
import type { EngineCommand, EngineOp, EngineOutcome, NumberOrList } from './engine-commands.js';
import type { EngineWorkerMessage, EngineWorkerRequest } from './engine-worker-protocol.js';
import type { EngineSnapshotUpdate } from './engine-snapshot.js';

/** Op codes of the commands that travel as records; `startrun` (a whole spec) goes by port. */
const OPS = ['getset', 'getpar', 'getcon', 'getwgt', 'optset', 'getpdf', 'getpdfw', 'getmean', 'getstd', 'getcov', 'goodset', 'newdat', 'newrun', 'endrun'] as const;
type RecordOp = (typeof OPS)[number];
const OP_CODE = new Map<EngineOp, number>(OPS.map((op, i) => [op, i]));

const MESSAGE_OUTCOME = 1;
const MESSAGE_SNAPSHOT = 2;
const MESSAGE_READY = 3;

const RUN_PRESENT = 1;
const RUN_GETCON = 2;
const RUN_GETSET = 4;

function numberOrListSize(value: NumberOrList): number {
  return typeof value === 'number' ? 1 + 8 : 1 + 4 + 8 * value.length;
}

function writeNumberOrList(view: DataView, at: number, value: NumberOrList): number {
  if (typeof value === 'number') {
    view.setUint8(at, 0);
    view.setFloat64(at + 1, value, true);
    return at + 9;
  }
  view.setUint8(at, 1);
  view.setUint32(at + 1, value.length, true);
  let o = at + 5;
  for (let i = 0; i < value.length; i++, o += 8) view.setFloat64(o, value[i], true);
  return o;
}

/** Reads a number or list at `cursor.at`, advancing it. */
function readNumberOrList(view: DataView, cursor: { at: number }): NumberOrList {
  const at = cursor.at;
  if (view.getUint8(at) === 0) {
    cursor.at = at + 9;
    return view.getFloat64(at + 1, true);
  }
  const n = view.getUint32(at + 1, true);
  const list = new Array<number>(n);
  let o = at + 5;
  for (let i = 0; i < n; i++, o += 8) list[i] = view.getFloat64(o, true);
  cursor.at = o;
  return list;
}

/** Payload bytes of a command after its op code and id. */
function commandFieldsSize(command: EngineCommand): number | undefined {
  switch (command.op) {
    case 'startrun':
      return undefined;
    case 'goodset':
      return command.pickiness === undefined ? 1 : 9;
    case 'newdat':
      return numberOrListSize(command.x) + numberOrListSize(command.y) + numberOrListSize(command.s);
    case 'newrun':
      return command.grid ? 25 : 1;
    default:
      return 0;
  }
}

/** Engine requests (actor → worker). */
export const requestCodec: RecordCodec<EngineWorkerRequest> = {
  sizeOf(request) {
    const fields = commandFieldsSize(request.command);
    return fields === undefined ? undefined : 9 + fields;
  },
  write(request, ring, at) {
    const view = ring.view;
    const command = request.command;
    view.setUint8(at, OP_CODE.get(command.op)!);
    view.setFloat64(at + 1, request.id, true);
    const o = at + 9;
    switch (command.op) {
      case 'goodset':
        view.setUint8(o, command.pickiness === undefined ? 0 : 1);
        if (command.pickiness !== undefined) view.setFloat64(o + 1, command.pickiness, true);
        return;
      case 'newdat':
        writeNumberOrList(view, writeNumberOrList(view, writeNumberOrList(view, o, command.x), command.y), command.s);
        return;
      case 'newrun':
        view.setUint8(o, command.grid ? 1 : 0);
        if (command.grid) {
          view.setFloat64(o + 1, command.grid.lolim, true);
          view.setFloat64(o + 9, command.grid.hilim, true);
          view.setFloat64(o + 17, command.grid.steps, true);
        }
        return;
    }
  },
  read(ring, at) {
    const view = ring.view;
    const op = OPS[view.getUint8(at)] as RecordOp | undefined;
    if (op === undefined) throw new Error(`engine channel: unknown op code ${view.getUint8(at)}`);
    const id = view.getFloat64(at + 1, true);
    const o = at + 9;
    let command: EngineCommand;
    switch (op) {
      case 'goodset':
        command = view.getUint8(o) === 0 ? { op } : { op, pickiness: view.getFloat64(o + 1, true) };
        break;
      case 'newdat': {
        const cursor = { at: o };
        const x = readNumberOrList(view, cursor);
        const y = readNumberOrList(view, cursor);
        command = { op, x, y, s: readNumberOrList(view, cursor) };
        break;
      }
      case 'newrun':
        command = view.getUint8(o) === 0 ? { op } : { op, grid: { lolim: view.getFloat64(o + 1, true), hilim: view.getFloat64(o + 9, true), steps: view.getFloat64(o + 17, true) } };
        break;
      default:
        command = { op };
    }
    return { id, command };
  },
};

function outcomeSize(outcome: EngineOutcome): number {
  return outcome.ok ? 5 + outcome.body.byteLength : 9 + Buffer.byteLength(outcome.code) + Buffer.byteLength(outcome.message);
}

function writeText(ring: SharedRing, at: number, text: string): number {
  const length = Buffer.byteLength(text);
  ring.view.setUint32(at, length, true);
  Buffer.from(ring.bytes.buffer, ring.bytes.byteOffset + at + 4, length).write(text);
  return at + 4 + length;
}

function writeOutcome(ring: SharedRing, at: number, outcome: EngineOutcome): number {
  if (outcome.ok) {
    ring.view.setUint8(at, 1);
    ring.view.setUint32(at + 1, outcome.body.byteLength, true);
    ring.bytes.set(outcome.body, at + 5);
    return at + 5 + outcome.body.byteLength;
  }
  ring.view.setUint8(at, 0);
  return writeText(ring, writeText(ring, at + 1, outcome.code), outcome.message);
}

function readText(ring: SharedRing, cursor: { at: number }): string {
  const length = ring.view.getUint32(cursor.at, true);
  const start = ring.bytes.byteOffset + cursor.at + 4;
  cursor.at += 4 + length;
  return Buffer.from(ring.bytes.buffer, start, length).toString('utf8');
}

function readOutcome(ring: SharedRing, cursor: { at: number }): EngineOutcome {
  const at = cursor.at;
  if (ring.view.getUint8(at) === 1) {
    const length = ring.view.getUint32(at + 1, true);
    cursor.at = at + 5 + length;
    // A copy: the ring's bytes are reused once the record is released.
    return { ok: true, body: Buffer.from(ring.bytes.subarray(at + 5, at + 5 + length)) };
  }
  cursor.at = at + 1;
  const code = readText(ring, cursor);
  return { ok: false, code, message: readText(ring, cursor) };
}

/** Core counters: a presence byte, then updates, log-space updates, resamples, threads, n_eff (float64) and the arithmetic (a byte). */
const CORE_BYTES = 1 + 5 * 8 + 1;

function updateSize(update: EngineSnapshotUpdate): number {
  let size = outcomeSize(update.state.getmean) + outcomeSize(update.state.getstd) + 1 + CORE_BYTES;
  if (update.run?.getcon) size += outcomeSize(update.run.getcon);
  if (update.run?.getset) size += outcomeSize(update.run.getset);
  return size;
}

function writeUpdate(ring: SharedRing, at: number, update: EngineSnapshotUpdate): void {
  let o = writeOutcome(ring, writeOutcome(ring, at, update.state.getmean), update.state.getstd);
  const run = update.run;
  ring.view.setUint8(o++, run ? RUN_PRESENT | (run.getcon ? RUN_GETCON : 0) | (run.getset ? RUN_GETSET : 0) : 0);
  if (run?.getcon) o = writeOutcome(ring, o, run.getcon);
  if (run?.getset) o = writeOutcome(ring, o, run.getset);
  const core = update.core;
  ring.view.setUint8(o, core ? 1 : 0);
  if (core) {
    [core.updates, core.logSpaceUpdates, core.resamples, core.threads, core.effectiveSampleSize].forEach((v, i) => ring.view.setFloat64(o + 1 + 8 * i, v, true));
    ring.view.setUint8(o + 41, core.arithmetic === 'fast' ? 1 : 0);
  }
}

function readCore(ring: SharedRing, at: number): EngineSnapshotUpdate['core'] {
  const view = ring.view;
  if (view.getUint8(at) === 0) return undefined;
  const [updates, logSpaceUpdates, resamples, threads, effectiveSampleSize] = [0, 1, 2, 3, 4].map((i) => view.getFloat64(at + 1 + 8 * i, true));
  return { updates, logSpaceUpdates, resamples, threads, effectiveSampleSize, arithmetic: view.getUint8(at + 41) === 1 ? 'fast' : 'original' };
}

function readUpdate(ring: SharedRing, at: number): EngineSnapshotUpdate {
  const cursor = { at };
  const state = { getmean: readOutcome(ring, cursor), getstd: readOutcome(ring, cursor) };
  const flags = ring.view.getUint8(cursor.at++);
  if ((flags & RUN_PRESENT) === 0) return withCore({ state }, readCore(ring, cursor.at));
  const run: { getcon?: EngineOutcome; getset?: EngineOutcome } = {};
  if (flags & RUN_GETCON) run.getcon = readOutcome(ring, cursor);
  if (flags & RUN_GETSET) run.getset = readOutcome(ring, cursor);
  return withCore({ state, run }, readCore(ring, cursor.at));
}

function withCore(update: EngineSnapshotUpdate, core: EngineSnapshotUpdate['core']): EngineSnapshotUpdate {
  return core === undefined ? update : { ...update, core };
}

/** Worker messages (worker → actor). */
export const messageCodec: RecordCodec<EngineWorkerMessage> = {
  sizeOf(message) {
    switch (message.type) {
      case 'outcome':
        return 9 + outcomeSize(message.outcome);
      case 'snapshot':
        return 9 + updateSize(message.snapshot);
      case 'ready':
        return 1 + updateSize(message.snapshot);
      default:
        return undefined;
    }
  },
  write(message, ring, at) {
    const view = ring.view;
    switch (message.type) {
      case 'outcome':
        view.setUint8(at, MESSAGE_OUTCOME);
        view.setFloat64(at + 1, message.id, true);
        writeOutcome(ring, at + 9, message.outcome);
        return;
      case 'snapshot':
        view.setUint8(at, MESSAGE_SNAPSHOT);
        view.setFloat64(at + 1, message.after, true);
        writeUpdate(ring, at + 9, message.snapshot);
        return;
      case 'ready':
        view.setUint8(at, MESSAGE_READY);
        writeUpdate(ring, at + 1, message.snapshot);
        return;
      default:
        throw new Error(`engine channel: '${message.type}' travels by port`);
    }
  },
  read(ring, at) {
    const view = ring.view;
    const type = view.getUint8(at);
    switch (type) {
      case MESSAGE_OUTCOME:
        return { type: 'outcome', id: view.getFloat64(at + 1, true), outcome: readOutcome(ring, { at: at + 9 }) };
      case MESSAGE_SNAPSHOT:
        return { type: 'snapshot', after: view.getFloat64(at + 1, true), snapshot: readUpdate(ring, at + 9) };
      case MESSAGE_READY:
        return { type: 'ready', snapshot: readUpdate(ring, at + 1) };
      default:
        throw new Error(`engine channel: unknown message type ${type}`);
    }
  },
};
