// The runtime's connection core alone, for `npm run bench:connections`: the generic Server and
// Connection from dist/ with the OBE protocol (10-digit header + JSON body, decoded as the OBE
// server decodes it), answering every frame with "OK" and draining once the peer has sent EOF, as
// the OBE server does. No command parsing, no engine, no worker thread.
import { Server } from '../../dist/index.js';
import { obeProtocol } from '../../dist/protocols/obe/index.js';

const server = new Server({ protocol: obeProtocol(), name: 'bench.core', connection: { closeOnPeerEnd: false } });
server.connections$.subscribe((connection) => {
  connection.messages$.subscribe({
    next: () => connection.send('OK'),
    complete: () => void connection.drain(),
  });
});
const { host, port } = await server.listen();
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
process.stdout.write(`core listening on ${host}:${port}\n`);
