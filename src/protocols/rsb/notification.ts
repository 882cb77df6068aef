import type { EventId } from './event-id.js';
import type { Scope } from './scope.js';

/**
 * A key/value pair attached to an event (`rsb.protocol.UserInfo`, both fields required). Both
 * are ASCII on the wire. The RPC error marker `rsb:error?` and rsb-cpp's `rsb.wire-schema` are
 * user infos.
 */
export interface UserInfo {
  readonly key: string;
  readonly value: string;
}

/**
 * A named timestamp attached to an event (`rsb.protocol.UserTime`, both fields required): an
 * ASCII key and integer microseconds since the Unix epoch (uint64 on the wire).
 */
export interface UserTime {
  readonly key: string;
  readonly timestamp: number;
}

/**
 * `rsb.protocol.EventMetaData`. Times are integer microseconds since the Unix epoch, UTC, held as
 * JS numbers: exact up to ±2^53 µs (about the year 2255), which covers every real timestamp; the
 * decoder rejects larger values (`RSB_BAD_TIMESTAMP`) instead of rounding them. `bigint` would
 * cost an allocation per field on the hot path for no practical gain.
 */
export interface EventMetaData {
  /** When the event object was created (field 2, int64, required). */
  readonly createTime: number;
  /** When the out-connector serialised it (field 3, int64, required). */
  readonly sendTime: number;
  /** Field 4, normally not sent: receivers fill it locally. */
  readonly receiveTime?: number;
  /** Field 5, normally not sent: receivers fill it locally. */
  readonly deliverTime?: number;
  /** Field 6, in wire order. */
  readonly userTimes: readonly UserTime[];
  /** Field 7, in wire order (Python: insertion order; C++: sorted by key). */
  readonly userInfos: readonly UserInfo[];
}

/**
 * `rsb.protocol.Notification`: one event on the socket transport, one per frame.
 *
 * Decoding guarantees what the originals need to accept it (see `decodeNotification`): a valid
 * scope, ASCII method, wire schema and meta-data strings, and every proto2 `required` field.
 * An absent `wire_schema` or `data` decodes as `''` / empty bytes; the encoder always writes both,
 * as rsb-python does.
 */
export interface Notification {
  /** Field 108 (required). */
  readonly eventId: EventId;
  /** Field 6: always written normalised (trailing `/`). Missing on receipt = a bad notification. */
  readonly scope: Scope;
  /** Field 14: `REQUEST`, `REPLY`, `SURVEY`, ...; undefined when the event has no method. */
  readonly method?: string;
  /** Field 7: the converter's wire schema, e.g. `utf-8-string`. */
  readonly wireSchema: string;
  /**
   * Field 9: the serialised payload. On receipt a view into the frame: do not mutate it, and
   * copy it when it must outlive the frame's other users.
   */
  readonly data: Uint8Array;
  /** Field 13: ids of the events that caused this one (RPC replies: the request's id). */
  readonly causes: readonly EventId[];
  /** Field 15: always present on events sent by the originals. */
  readonly metaData?: EventMetaData;
}
