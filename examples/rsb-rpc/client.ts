// An RPC client process: joins the bus named by RSB_TRANSPORT_SOCKET_* and calls the methods of
// /example/rpc, several at once, printing each result.
// In your own code, import from 'actorwire/rsb' instead of the source tree.
import { RemoteCallError, RemoteServer } from '../../src/actors/rsb/index.js';

const remote = await RemoteServer.create('/example/rpc', { timeoutMs: 5_000 });
const [echoed, added] = await Promise.all([remote.call('echo', 'hello'), remote.call('addone', 41n)]);
console.log(`echo("hello") = ${JSON.stringify(echoed)}`);
console.log(`addone(41) = ${String(added)}`);
try {
  await remote.call('fail');
} catch (err) {
  if (!(err instanceof RemoteCallError)) throw err;
  console.log(`fail() raised: ${err.message}`);
}
try {
  await remote.call('missing', undefined, { timeoutMs: 300 });
} catch (err) {
  console.log(`missing() gave: ${(err as Error).name} ${(err as { code?: string }).code}`);
}
await remote.close();
