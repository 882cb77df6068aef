// A listener process: joins the bus named by RSB_TRANSPORT_SOCKET_* (as any RSB program would),
// prints every event on /example/chat and below, and leaves after COUNT events.
// In your own code, import from 'actorwire/rsb' instead of the source tree.
import { Listener } from '../../src/actors/rsb/index.js';

const count = Number(process.env.COUNT ?? 5);
const listener = await Listener.create('/example/chat');
let seen = 0;
listener.addHandler(async (event) => {
  console.log(`${event.scope.text} #${event.id.sequenceNumber} from ${event.id.sender.slice(0, 8)}: ${String(event.data)}`);
  if (++seen === count) await listener.close();
});
console.log('listener ready');
