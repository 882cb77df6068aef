/**
 * The byte-exact payloads of spec §2.3 (masep.md), with the full ids. The OBSERVATION's Belief
 * content is networkx's GraphML of an empty graph without newlines, which gives the spec's
 * 1385 bytes.
 */
export const INTERFACE_ID = '3f2b8c1e-5d4a-4e8f-9b1a-2c3d4e5f6a7b';
export const ENGINE_ID = '9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

/** The Belief content of the OBSERVATION example, as text (before XML escaping). */
export const EMPTY_GRAPHML =
  '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
  ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">' +
  '  <graph edgedefault="undirected" /></graphml>';

const escapedGraphml = EMPTY_GRAPHML.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** One example: payload text, its length and its 2-byte header as the spec states them. */
export interface SpecExample {
  readonly name: string;
  readonly payload: string;
  readonly length: number;
  readonly header: readonly [number, number];
}

export const DEFINE_EXAMPLE: SpecExample = {
  name: 'DEFINE',
  payload: `<Message msg_type="define" src_sub_app="${INTERFACE_ID}"><dict><item key="game"><type>&lt;class 'mygames.tictactoe.TicTacToe'&gt;</type></item></dict></Message>`,
  length: 181,
  header: [0xb5, 0x00],
};

export const REGISTER_EXAMPLE: SpecExample = {
  name: 'REGISTER',
  payload: `<Message msg_type="register" src_sub_app="${INTERFACE_ID}"><dict><item key="id"><str>${INTERFACE_ID}</str></item><item key="queue_id"><int>0</int></item><item key="role"><str>Actor</str></item></dict></Message>`,
  length: 252,
  header: [0xfc, 0x00],
};

export const ACTION_EXAMPLE: SpecExample = {
  name: 'ACTION',
  payload: `<Message msg_type="action" src_sub_app="${INTERFACE_ID}"><dict><item key="action"><Action type="5"><ActionParameter name="direction"><str>up</str></ActionParameter><ActionParameter name="count"><int>2</int></ActionParameter></Action></item></dict></Message>`,
  length: 278,
  header: [0x16, 0x01],
};

export const END_EXAMPLE: SpecExample = {
  name: 'END_GAME',
  payload: `<Message msg_type="end" src_sub_app="${ENGINE_ID}" />`,
  length: 77,
  header: [0x4d, 0x00],
};

export const QUIT_EXAMPLE: SpecExample = {
  name: 'QUIT',
  payload: `<Message msg_type="quit" src_sub_app="${INTERFACE_ID}" />`,
  length: 78,
  header: [0x4e, 0x00],
};

export const OBSERVATION_EXAMPLE: SpecExample = {
  name: 'OBSERVATION',
  payload:
    `<Message msg_type="observation" src_sub_app="${ENGINE_ID}"><dict><item key="observation">` +
    '<State name="State" state="run" is_final="False" env_step="4"><Object name="system" state="run">' +
    '<ObjectState name="state" state="run"><Characteristic name="AgentOrder" state="run"><CircularHeadList>' +
    '<data><list><item><str>State.player0</str></item></list></data><head_idx>0</head_idx></CircularHeadList>' +
    '</Characteristic><Characteristic name="GamePhase" state="run"><str>play</str></Characteristic></ObjectState>' +
    '</Object><Agent name="player0" state="run" controller="pymasep.engine.external_controller.ExternalController"' +
    ` control="${INTERFACE_ID}"><ObjectState name="state" state="run"><Characteristic name="Score" state="run">` +
    '<int>3</int></Characteristic></ObjectState><Belief name="belief" state="run">' +
    `<content>${escapedGraphml}</content></Belief></Agent></State></item><item key="additional_information"><dict>` +
    '<item key="state_changed"><bool>True</bool></item><item key="reward"><dict><item key="State.player0">' +
    '<float>1.0</float></item></dict></item></dict></item></dict></Message>',
  length: 1385,
  header: [0x69, 0x05],
};

export const SPEC_EXAMPLES: readonly SpecExample[] = [
  DEFINE_EXAMPLE,
  REGISTER_EXAMPLE,
  ACTION_EXAMPLE,
  END_EXAMPLE,
  QUIT_EXAMPLE,
  OBSERVATION_EXAMPLE,
];

/** ASCII bytes of a payload text. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}
