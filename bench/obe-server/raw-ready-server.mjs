// The floor of a connection-per-command round trip on this machine: a bare node:net server in its
// own process that answers every frame with `0000000004"OK"`, with no parsing and no engine.
import { createServer } from 'node:net';

const server = createServer({ allowHalfOpen: true }, (socket) => {
  socket.setNoDelay(true);
  socket.on('data', () => socket.write('0000000004"OK"'));
  socket.on('end', () => socket.end());
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`raw listening on 127.0.0.1:${server.address().port}\n`));
