import { MessageType, type MasepFrame, type Message } from '../../protocols/masep/index.js';
import type { Member } from './engine-seating.js';

/** What the engine does with one frame from an interface. */
export type Screened =
  /** A message to handle. */
  | { readonly kind: 'message'; readonly message: Message }
  /** Ignore it, and count and report why. */
  | { readonly kind: 'drop'; readonly reason: string }
  /** A malformed message past the interface's error budget: disconnect it. */
  | { readonly kind: 'close' }
  /** Not the engine's (hello and bye are the link's). */
  | { readonly kind: 'none' };

/**
 * The checks every frame from an interface passes before the engine reads it (spec §6.1 items 9
 * and 11): a malformed one is charged to the interface's error budget (docs/ARCHITECTURE.md,
 * "Garbage"), `src_sub_app` must be the connection's hello ident, and DEFINE comes first.
 */
export function screenFrame(member: Member, frame: MasepFrame): Screened {
  if (frame.kind === 'rejected') {
    if (!member.errorBudget.spend()) return { kind: 'close' };
    return { kind: 'drop', reason: `malformed message (${frame.error.code}): ${frame.error.message}` };
  }
  if (frame.kind !== 'message') return { kind: 'none' };
  const message = frame.message;
  if (message.srcSubApp !== member.id) {
    return { kind: 'drop', reason: `src_sub_app ${JSON.stringify(message.srcSubApp.slice(0, 64))} is not the connection's ident` };
  }
  if (!member.defined && message.msgType !== MessageType.DEFINE) {
    return { kind: 'drop', reason: `${message.msgType.slice(0, 40)} before DEFINE` };
  }
  return { kind: 'message', message };
}
