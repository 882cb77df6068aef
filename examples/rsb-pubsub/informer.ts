// An informer process: publishes COUNT strings on /example/chat/<topic> through the bus named by
// RSB_TRANSPORT_SOCKET_*, then leaves in order (its bus connection is half-closed after the flush).
// In your own code, import from 'actorwire/rsb' instead of the source tree.
import { Informer } from '../../src/actors/rsb/index.js';

const count = Number(process.env.COUNT ?? 5);
const informer = await Informer.create('/example/chat');
for (let i = 0; i < count; i++) {
  await informer.publish(`message ${i}`, { scope: '/example/chat/news', userInfos: { example: 'rsb-pubsub' } });
}
await informer.close();
console.log(`informer sent ${count} events`);
