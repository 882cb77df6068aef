import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/actors/bus/bus.js';
import { LocalServer } from '../../src/actors/rsb/local-server.js';
import { ProtobufTextTypes } from '../../src/actors/rsb/tools/protobuf-text.js';
import { jsonLines, runCli, type CliProcess } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { Informer } from '../../src/actors/rsb/informer.js';
import { EventId } from '../../src/protocols/rsb/index.js';
import { Collector, startServerBus } from '../actors/bus/helpers.js';
import { labDescriptorSet } from '../actors/rsb/tools/lab-types.js';

const ENV = { ACTORWIRE_LOG: 'error' };

// docs/RSB.md, "rsb send": protobuf text for registered types, with a user's descriptor set.
describe('actorwire rsb send / call with protobuf text', { timeout: 60_000 }, () => {
  let bus: Bus;
  let dir: string;
  let descriptorSet: string;
  const flags = (): string[] => ['--port', String(bus.transport.address!.port), '--server', '0'];
  const reading = createFileRegistry(fromBinary(FileDescriptorSetSchema, labDescriptorSet())).getMessage('lab.Reading')!;

  beforeAll(async () => {
    bus = await startServerBus();
    dir = mkdtempSync(join(tmpdir(), 'actorwire-rsb-pb-'));
    descriptorSet = join(dir, 'lab.binpb');
    writeFileSync(descriptorSet, labDescriptorSet());
  });
  afterAll(async () => {
    await bus?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends pb:.lab.Reading:{...} with wire schema .lab.Reading and its binary encoding', async () => {
    const received = new Collector(bus, '/lab/');
    const send = runCli(['rsb', 'send', ...flags(), '--descriptor-set', descriptorSet, '/lab/', 'pb:.lab.Reading:{kind: PRESSURE value: 1013.25 unit: "hPa"}'], ENV);
    expect(await send.exited).toBe(0);
    await received.waitFor(1);
    const [notification] = received.received;
    expect(notification.wireSchema).toBe('.lab.Reading');
    expect(fromBinary(reading, notification.data)).toMatchObject({ kind: 2, value: 1013.25, unit: 'hPa' });
  });

  it('calls a method with a pb: argument', async () => {
    const server = await LocalServer.create('/lab/server/', { bus, converters: ProtobufTextTypes.withDescriptorSets([labDescriptorSet()]).converters() });
    await server.addMethod('unit', (data) => (data as { unit: string }).unit);
    try {
      const call = runCli(['rsb', 'call', ...flags(), '--descriptor-set', descriptorSet, '/lab/server/', 'unit', 'pb:.lab.Reading:{kind: 1 unit: "K"}'], ENV);
      expect(await call.exited).toBe(0);
      expect(call.stdout()).toBe('"K"\n');
    } finally {
      await server.close();
    }
  });

  it('a text that does not parse, or a type not loaded, is a usage error that says where and what to do', async () => {
    const bad = runCli(['rsb', 'send', ...flags(), '--descriptor-set', descriptorSet, '--type', '.lab.Reading', '/lab/', 'kind: HUMIDITY'], ENV);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('not .lab.Reading in protobuf text format at line 1, column 7: unknown enum value "HUMIDITY"');
    expect(bad.stderr()).toContain('see: actorwire rsb send --help');
    const unknown = runCli(['rsb', 'send', ...flags(), '/lab/', 'pb:.lab.Reading:{kind: 1}'], ENV);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain('.lab.Reading is not a registered protobuf type (registered: .rsb.protocol.EventId); load its descriptor set with --descriptor-set');
  });

  /** Resolves once the logger listens (its line on stderr). */
  const listening = (logger: CliProcess): Promise<void> =>
    eventually(() => logger.stderr().includes('rsb listening for /lab/') || logger.child.exitCode !== null, 'the logger listens', 60_000);

  it('rsb logger --descriptor-set shows the events of those types decoded: text in detailed, JSON in json', async () => {
    const types = ProtobufTextTypes.withDescriptorSets([labDescriptorSet()]);
    const detailed = runCli(['rsb', 'logger', ...flags(), '--descriptor-set', descriptorSet, '--style', 'detailed', '--stop-after', '2', '/lab/'], ENV);
    const json = runCli(['rsb', 'listen', ...flags(), '--descriptor-set', descriptorSet, '--count', '2', '/lab/'], ENV);
    await Promise.all([listening(detailed), listening(json)]);
    const informer = await Informer.create('/lab/', { bus, converters: types.converters() });
    try {
      await informer.publish(types.parse('.lab.Reading', 'kind: PRESSURE value: 1013.25 unit: "hPa" at: 12 source { name: "baro" }'));
      await informer.publish(EventId.fromUuid('d8fbfef4-4eb0-4c89-9716-c425ded3c527', 7));
    } finally {
      await informer.close();
    }
    expect(await detailed.exited).toBe(0);
    expect(detailed.stdout()).toContain('  Payload\n    kind: PRESSURE\n    value: 1013.25\n    unit: "hPa"\n    at: 12\n    source: {\n      name: "baro"\n    }\n\n');
    expect(detailed.stdout()).toMatch(/ {2}Wire schema {2}\.rsb\.protocol\.EventId\n(.*\n)* {4}sender_id: "\\xd8.*"\n {4}sequence_number: 7\n/);
    expect(await json.exited).toBe(0);
    expect(jsonLines(json).map((l) => [l.wireSchema, l.data])).toEqual([
      ['.lab.Reading', { kind: 'PRESSURE', value: 1013.25, unit: 'hPa', at: '12', source: { name: 'baro' } }],
      ['.rsb.protocol.EventId', { senderId: Buffer.from('d8fbfef44eb04c899716c425ded3c527', 'hex').toString('base64'), sequenceNumber: 7 }],
    ]);
  });
});
