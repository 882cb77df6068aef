// The floor of the OBE demo as one bare Node thread can serve it: a node:net server with the same
// 10-digit framing that answers the demo's commands (newrun, goodset, newdat, getmean, getstd,
// ready, done) from the same numeric core (dist/obe/core) in process: no actors, no machine, no
// worker thread, no snapshot, replies by JSON.stringify. Reads compute on request, as the original
// server does. What actorwire adds on top of sockets and numerics is measured against this.
//
//   node bare-demo-server.mjs <particles>
import { createServer } from 'node:net';
import { DEMO_RUN_SPEC, linspace, OptBayesExpt, samplePrior, Xoshiro128StarStar } from '../../dist/obe/index.js';

const spec = { ...DEMO_RUN_SPEC, particles: Number(process.argv[2] ?? 10000) };
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
      const body = Buffer.from(JSON.stringify(answer(request)));
      socket.write(Buffer.concat([Buffer.from(String(body.length).padStart(10, '0')), body]));
    }
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`bare demo listening on 127.0.0.1:${server.address().port}\n`));
