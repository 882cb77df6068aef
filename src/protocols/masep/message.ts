import type { MasepDict } from './value.js';

/** The `msg_type` values pymasep uses (spec §2.1). */
export const MessageType = {
  DEFINE: 'define',
  REGISTER: 'register',
  OBSERVATION: 'observation',
  ACTION: 'action',
  QUIT: 'quit',
  END_GAME: 'end',
} as const;

/**
 * A `msg_type`: one of {@link MessageType}, or any other string, which the codec carries and the
 * application drops (as pymasep does).
 */
export type MessageTypeName = (typeof MessageType)[keyof typeof MessageType] | (string & {});

/**
 * A pymasep `Message`: `<Message msg_type="…" src_sub_app="…">PARAMS</Message>`.
 *
 * `params` is `null` when the element has no child. An empty dict is written like `null` (a
 * self-closing `<Message … />`), as Python does.
 */
export interface Message {
  readonly msgType: MessageTypeName;
  /** The sender's sub-app id, as the sender claims it. */
  readonly srcSubApp: string;
  readonly params: MasepDict | null;
}
