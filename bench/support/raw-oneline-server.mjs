// Baseline for `npm run bench:oneline`: the least a line server can do on raw node:net. It
// splits input on 0x0A, answers `ping` with `pong` and anything else with `ack`, and writes the
// answers of one chunk with one write. No queue, no limits, no state machine.
import { createServer } from 'node:net';

const PONG = Buffer.from('pong\n');
const ACK = Buffer.from('ack\n');
const server = createServer((socket) => {
  socket.setNoDelay(true);
  let rest = '';
  socket.on('data', (chunk) => {
    const text = rest + chunk.toString('latin1');
    const out = [];
    let from = 0;
    let nl;
    while ((nl = text.indexOf('\n', from)) >= 0) {
      out.push(text.slice(from, nl) === 'ping' ? PONG : ACK);
      from = nl + 1;
    }
    rest = text.slice(from);
    if (out.length === 1) socket.write(out[0]);
    else if (out.length > 1) socket.write(Buffer.concat(out));
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`raw listening on 127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
