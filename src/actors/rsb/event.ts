import type { EventId, Notification, Scope } from '../../protocols/rsb/index.js';

/**
 * Everything about a received event except its payload: what filters see. Times are integer
 * microseconds since the Unix epoch.
 */
export interface RsbEventHeader {
  /** (sender participant UUID, sequence number). */
  readonly id: EventId;
  readonly scope: Scope;
  /** `REQUEST`, `REPLY`, `SURVEY`, ... or undefined for ordinary events. */
  readonly method: string | undefined;
  /** The wire schema the payload came with. */
  readonly wireSchema: string;
  readonly causes: readonly EventId[];
  /** User infos by key (the last one wins for a repeated key). May hold rsb-cpp's `rsb.wire-schema`. */
  readonly userInfos: Readonly<Record<string, string>>;
  /** User times by key, in µs. */
  readonly userTimes: Readonly<Record<string, number>>;
  /** When the sender created the event (µs); 0 if the notification had no meta data. */
  readonly createTime: number;
  /** When the sender's connector sent it (µs); 0 if the notification had no meta data. */
  readonly sendTime: number;
  /** When this process received it (µs). */
  readonly receiveTime: number;
}

/** A received event with its decoded payload (see `ConverterRegistry.decode`). */
export interface RsbEvent<T = unknown> extends RsbEventHeader {
  /** The payload decoded by its wire schema; a `RawPayload` for an unknown schema. */
  readonly data: T;
  /** When it was handed to this listener (µs): the receive time, as delivery happens in the same call. */
  readonly deliverTime: number;
}

const NO_INFOS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TIMES: Readonly<Record<string, number>> = Object.freeze({});

/**
 * The event a notification carries, built once per listener delivery: a class, so that every
 * event has the same shape and costs a single allocation besides its user infos and times.
 * `data` and `deliverTime` are filled in after the filters have accepted the header.
 */
export class ReceivedEvent implements RsbEvent {
  readonly id: EventId;
  readonly scope: Scope;
  readonly method: string | undefined;
  readonly wireSchema: string;
  readonly causes: readonly EventId[];
  readonly userInfos: Readonly<Record<string, string>>;
  readonly userTimes: Readonly<Record<string, number>>;
  readonly createTime: number;
  readonly sendTime: number;
  readonly receiveTime: number;
  data: unknown = undefined;
  deliverTime = 0;

  constructor(notification: Notification, receiveTime: number) {
    const meta = notification.metaData;
    this.id = notification.eventId;
    this.scope = notification.scope;
    this.method = notification.method;
    this.wireSchema = notification.wireSchema;
    this.causes = notification.causes;
    this.userInfos = NO_INFOS;
    this.userTimes = NO_TIMES;
    if (meta !== undefined) {
      if (meta.userInfos.length > 0) {
        const infos: Record<string, string> = {};
        for (const info of meta.userInfos) infos[info.key] = info.value;
        this.userInfos = infos;
      }
      if (meta.userTimes.length > 0) {
        const times: Record<string, number> = {};
        for (const time of meta.userTimes) times[time.key] = time.timestamp;
        this.userTimes = times;
      }
    }
    this.createTime = meta?.createTime ?? 0;
    this.sendTime = meta?.sendTime ?? 0;
    this.receiveTime = receiveTime;
  }
}
