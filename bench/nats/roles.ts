/**
 * The processes of `npm run bench:nats`, one role per process:
 *   listener <raw|rsb|socket> <target> <count>         counts events; prints `ready`, then a JSON result
 *   informer <raw|rsb|socket> <target> <count> <size>  prints its CPU time per event
 * `raw` is nats.js publish/subscribe on subject `bench.events` (target: a NATS URL); `rsb` is an
 * actorwire Informer/Listener on the NATS transport (target: a NATS URL); `socket` is an
 * actorwire Informer/Listener on the socket transport (target: the port of a bridged bus).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Informer, Listener, NatsBusTransport, type ParticipantOptions } from '../../src/actors/rsb/index.js';
import { arrivalCounter, report } from '../support/arrival-counter.js';

const [role, kind, target, ...rest] = process.argv.slice(2);
const SUBJECT = 'bench.events';
/** Informers wait for a server round trip every this many bytes, raw and actorwire alike. */
const FLUSH_EVERY_BYTES = 4 * 1024 * 1024;


function options(): ParticipantOptions {
  return kind === 'socket'
    ? { transport: 'socket', socket: { host: '127.0.0.1', port: Number(target), server: 'client' } }
    : { transport: 'nats', nats: { servers: [target] } };
}


async function listener(count: number): Promise<void> {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const arrived = arrivalCounter(count, (result) => {
    report(result);
    finish();
  });
  if (kind === 'raw') {
    const nc = await connect({ servers: target });
    nc.subscribe(SUBJECT, { callback: (_err, msg) => arrived(msg.data.length) });
    await nc.flush();
    report('ready');
    await done;
    await nc.close();
  } else {
    const listener = await Listener.create('/bench/events', options());
    listener.addHandler((event) => arrived((event.data as Uint8Array).length));
    report('ready');
    await done;
    await listener.close();
  }
}

async function informer(count: number, size: number): Promise<void> {
  const payload = new Uint8Array(size).fill(0x61);
  const every = Math.max(1, Math.floor(FLUSH_EVERY_BYTES / size));
  const cpu = process.cpuUsage();
  if (kind === 'raw') {
    const nc = await connect({ servers: target });
    for (let i = 0; i < count; i++) {
      nc.publish(SUBJECT, payload);
      if (i % every === every - 1) await nc.flush();
    }
    await nc.flush();
    await nc.close();
  } else {
    const informer = await Informer.create('/bench/events', options());
    const nats: NatsConnection | undefined = informer.bus.transport instanceof NatsBusTransport ? informer.bus.transport.connection : undefined;
    for (let i = 0; i < count; i++) {
      await informer.publish(payload);
      if (nats && i % every === every - 1) await nats.flush();
    }
    await informer.close();
  }
  const used = process.cpuUsage(cpu);
  report({ cpuMicrosPerEvent: (used.user + used.system) / count });
}

switch (role) {
  case 'listener':
    await listener(Number(rest[0]));
    break;
  case 'informer':
    await informer(Number(rest[0]), Number(rest[1]));
    break;
  default:
    throw new Error(`unknown role ${role}`);
}
