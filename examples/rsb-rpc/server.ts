// An RPC server process at /example/rpc with methods echo, addone and fail. It also hosts the bus
// server on PORT (0: any free port) and prints `ready <port>` once clients can call it.
// In your own code, import from 'actorwire/rsb' instead of the source tree.
import { LocalServer, acquireBus } from '../../src/actors/rsb/index.js';

const lease = await acquireBus({ transport: 'socket', host: '127.0.0.1', port: Number(process.env.PORT ?? 0), server: 'server' });
const server = await LocalServer.create('/example/rpc', { bus: lease.bus });
await server.addMethod('echo', (data) => data);
await server.addMethod('addone', (n) => (n as bigint) + 1n);
await server.addMethod('fail', () => {
  throw new Error('this method always fails');
});
console.log(`ready ${lease.bus.transport.address!.port}`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => lease.release())
    .then(() => console.log('server stopped'));
});
