// An RPC server process at /example/rpc with methods echo, addone and fail. It uses the bus the
// RSB configuration names (docs/RSB.md, "Configuration"): by default it hosts the socket bus
// server on PORT (0: any free port) and prints `ready <port>`; with the NATS transport enabled
// (RSB_TRANSPORT_NATS_ENABLED=1, RSB_TRANSPORT_NATS_SERVERS=...) it serves across NATS instead
// and prints `ready nats://<host>:<port>`. Either line means clients can call it.
// In your own code, import from 'actorwire/rsb' instead of the source tree.
import { LocalServer, acquireBus, resolveBusEndpoint } from '../../src/actors/rsb/index.js';

const lease = await acquireBus(resolveBusEndpoint({ socket: { host: '127.0.0.1', port: Number(process.env.PORT ?? 0), server: 'server' } }));
const server = await LocalServer.create('/example/rpc', { bus: lease.bus });
await server.addMethod('echo', (data) => data);
await server.addMethod('addone', (n) => (n as bigint) + 1n);
await server.addMethod('fail', () => {
  throw new Error('this method always fails');
});
const { host, port } = lease.bus.transport.address!;
console.log(lease.bus.role === 'nats' ? `ready nats://${host}:${port}` : `ready ${port}`);
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => lease.release())
    .then(() => console.log('server stopped'));
});
