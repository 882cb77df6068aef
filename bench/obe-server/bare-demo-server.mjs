// The floor of the OBE demo as one bare Node thread can serve it: a node:net server with the same
// 10-digit framing that answers the demo's commands (newrun, goodset, newdat, getmean, getstd,
// ready, done) from the same numeric core (dist/obe/core) in process: no actors, no machine, no
// worker thread, no snapshot, replies by JSON.stringify. Reads compute on request, as the original
// server does. What actorwire adds on top of sockets and numerics is measured against this.
//
// With `worker`, the same numeric core runs in a bare worker_threads Worker instead, each request
// posted to it and its reply posted back (postMessage, nothing else), except getmean and getstd:
// after each newdat the worker posts its reply, then both reads, and the main thread answers them
// from those (waiting for them if a read comes first). The least a server whose numeric core
// lives in a worker thread, as actorwire's does, can cost.
//
//   node bare-demo-server.mjs <particles> [worker]
import { createServer } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DEMO_RUN_SPEC, linspace, OptBayesExpt, samplePrior, Xoshiro128StarStar } from '../../dist/obe/index.js';

const particles = isMainThread ? Number(process.argv[2] ?? 10000) : workerData.particles;
const spec = { ...DEMO_RUN_SPEC, particles };
const rng = new Xoshiro128StarStar(12345);
let obe;

/** The run `actorwire obe serve` makes of the demo spec on `newrun` with a grid (spec §7.2). */
function newrun(lolim, hilim, steps) {
  obe = new OptBayesExpt({
    model: spec.model,
    settingValues: [linspace(lolim, hilim, steps)],
    prior: samplePrior(spec, rng),
    scale: spec.tuning.scale,
    rng,
  });
  return 'OK';
}

function answer(request) {
  switch (request.command) {
    case 'newrun':
      return newrun(request.lolim, request.hilim, request.steps);
    case 'goodset':
      return obe.goodSetting(request.pickiness);
    case 'newdat':
      obe.pdfUpdate({ settings: request.x, y: request.y, sigma: request.s });
      return 'OK';
    case 'getmean':
      return Array.from(obe.mean());
    case 'getstd':
      return Array.from(obe.std());
    default:
      return 'OK';
  }
}

/** Answers `request` with its reply body, in process or through the worker. */
let respond = (request, reply) => reply(JSON.stringify(answer(request)));

const READS = new Set(['getmean', 'getstd']);

if (!isMainThread) {
  parentPort.on('message', (request) => {
    parentPort.postMessage(JSON.stringify(answer(request)));
    if (request.command === 'newdat' || request.command === 'newrun') {
      parentPort.postMessage({ getmean: JSON.stringify(answer({ command: 'getmean' })), getstd: JSON.stringify(answer({ command: 'getstd' })) });
    }
  });
} else {
  if (process.argv[3] === 'worker') {
    const worker = new Worker(new URL(import.meta.url), { workerData: { particles } });
    // The worker answers in order: replies wait in the order their requests went.
    const waiting = [];
    // The reads of the newest state, and reads that came before them.
    let reads = null;
    const parked = [];
    worker.on('message', (message) => {
      if (typeof message === 'string') return waiting.shift()(message);
      reads = message;
      for (const [command, reply] of parked.splice(0)) reply(reads[command]);
    });
    respond = (request, reply) => {
      if (READS.has(request.command)) {
        if (reads) reply(reads[request.command]);
        else parked.push([request.command, reply]);
        return;
      }
      if (request.command === 'newdat' || request.command === 'newrun') reads = null;
      waiting.push(reply);
      worker.postMessage(request);
    };
  }
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true);
    let input = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      input = input.length === 0 ? chunk : Buffer.concat([input, chunk]);
      while (input.length >= 10) {
        const length = Number(input.subarray(0, 10).toString());
        if (input.length < 10 + length) return;
        const request = JSON.parse(input.subarray(10, 10 + length).toString());
        input = input.subarray(10 + length);
        respond(request, (text) => {
          const body = Buffer.from(text);
          socket.write(Buffer.concat([Buffer.from(String(body.length).padStart(10, '0')), body]));
        });
      }
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`bare demo listening on 127.0.0.1:${server.address().port}\n`));
}
