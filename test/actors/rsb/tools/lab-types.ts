import { create, toBinary } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label as Label, FieldDescriptorProto_Type as Type, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

/**
 * The descriptor set protoc would write (`--include_imports --descriptor_set_out`) for a user's
 * own types, as in docs/RSB.md "rsb send":
 *
 * ```proto
 * syntax = "proto2";
 * package lab;
 * message Reading {
 *   enum Kind { TEMPERATURE = 1; PRESSURE = 2; }
 *   required Kind kind = 1;
 *   optional double value = 2;
 *   optional string unit = 3;
 *   optional int64 at = 4;
 *   repeated Reading parts = 5;
 *   optional bytes raw = 6;
 *   optional bool valid = 7;
 *   repeated sint32 samples = 8;
 *   optional Source source = 9;
 * }
 * message Source { required string name = 1; optional uint32 channel = 2; }
 * ```
 */
export function labDescriptorSet(): Uint8Array {
  const field = (name: string, number: number, type: Type, label: Label, typeName?: string) => ({ name, number, type, label, typeName, jsonName: name });
  return toBinary(
    FileDescriptorSetSchema,
    create(FileDescriptorSetSchema, {
      file: [
        {
          name: 'lab.proto',
          package: 'lab',
          syntax: 'proto2',
          messageType: [
            {
              name: 'Reading',
              field: [
                field('kind', 1, Type.ENUM, Label.REQUIRED, '.lab.Reading.Kind'),
                field('value', 2, Type.DOUBLE, Label.OPTIONAL),
                field('unit', 3, Type.STRING, Label.OPTIONAL),
                field('at', 4, Type.INT64, Label.OPTIONAL),
                field('parts', 5, Type.MESSAGE, Label.REPEATED, '.lab.Reading'),
                field('raw', 6, Type.BYTES, Label.OPTIONAL),
                field('valid', 7, Type.BOOL, Label.OPTIONAL),
                field('samples', 8, Type.SINT32, Label.REPEATED),
                field('source', 9, Type.MESSAGE, Label.OPTIONAL, '.lab.Source'),
              ],
              enumType: [{ name: 'Kind', value: [{ name: 'TEMPERATURE', number: 1 }, { name: 'PRESSURE', number: 2 }] }],
            },
            { name: 'Source', field: [field('name', 1, Type.STRING, Label.REQUIRED), field('channel', 2, Type.UINT32, Label.OPTIONAL)] },
          ],
        },
      ],
    }),
  );
}
