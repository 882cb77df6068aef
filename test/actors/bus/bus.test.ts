import { describe, expect, it } from 'vitest';
import { Bus } from '../../../src/actors/bus/bus.js';
import { BusError } from '../../../src/actors/bus/errors.js';
import { InProcessTransport } from '../../../src/actors/bus/inprocess-transport.js';
import { Scope } from '../../../src/protocols/rsb/index.js';
import { Collector, notification } from './helpers.js';

const inprocess = () => Bus.create('inprocess', async () => new InProcessTransport());

describe('Bus (in-process)', () => {
  it('delivers an event on /a/b/c/ to sinks on /, /a/, /a/b/, /a/b/c/ and to no others', async () => {
    const bus = await inprocess();
    const scopes = ['/', '/a/', '/a/b/', '/a/b/c/', '/a/b/c/d/', '/a/x/', '/b/'];
    const collectors = scopes.map((s) => new Collector(bus, s));
    bus.publish(notification('/a/b/c', 'x'));
    expect(collectors.map((c) => c.received.length)).toEqual([1, 1, 1, 1, 0, 0, 0]);
  });

  it('stops delivering to a sink once it is removed, and keeps delivering to the others', async () => {
    const bus = await inprocess();
    const seen: string[] = [];
    const off = bus.subscribe(Scope.parse('/a'), () => seen.push('a'));
    bus.subscribe(Scope.parse('/'), () => seen.push('root'));
    bus.publish(notification('/a', '1'));
    off();
    bus.publish(notification('/a', '2'));
    expect(seen).toEqual(['root', 'a', 'root']);
  });

  it('survives a sink that throws', async () => {
    const bus = await inprocess();
    bus.subscribe(Scope.parse('/a'), () => {
      throw new Error('boom');
    });
    const ok = new Collector(bus, '/a');
    bus.publish(notification('/a', '1'));
    bus.publish(notification('/a', '2'));
    expect(ok.texts).toEqual(['1', '2']);
  });

  it('refuses to publish once closed, with BUS_CLOSED', async () => {
    const bus = await inprocess();
    await bus.close();
    expect(bus.status).toBe('closed');
    expect(await bus.closed).toEqual({ reason: 'closed' });
    expect(() => bus.publish(notification('/a', 'late'))).toThrow(BusError);
    await expect(bus.whenWritable()).rejects.toMatchObject({ code: 'BUS_CLOSED' });
  });

  it('counts publishes and deliveries', async () => {
    const bus = await inprocess();
    new Collector(bus, '/');
    new Collector(bus, '/a');
    bus.publish(notification('/a', '1'));
    bus.publish(notification('/b', '2'));
    expect(bus.stats()).toMatchObject({ published: 2, delivered: 3, sinks: 2 });
  });
});
