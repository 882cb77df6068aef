import type { ConnectionEventType, ConnectionMachineInput } from '../../src/actors/connection/connection-machine.js';

/** Every event of the connection machine. */
export const CONNECTION_EVENTS: readonly ConnectionEventType[] = [
  'SOCKET_CONNECTED', 'PEER_GREETING', 'HANDSHAKE_TIMEOUT', 'CLOSE_TIMEOUT', 'FAIL', 'PAUSE', 'RESUME', 'HOLD', 'SUBSCRIBED',
  'PEER_END', 'PEER_BYE', 'FLUSHED', 'BACKPRESSURED', 'SOCKET_DRAIN', 'CLOSE', 'DRAIN', 'IDLE_TIMEOUT', 'SOCKET_CLOSED',
];

/** The machine input whose six facts are the bits of `bits` (0..63), in the order of the interface. */
export function machineInputOf(bits: number): ConnectionMachineInput {
  return {
    startsConnected: (bits & 1) !== 0,
    speaksFirst: (bits & 2) !== 0,
    awaitsPeer: (bits & 4) !== 0,
    answers: (bits & 8) !== 0,
    closeOnPeerEnd: (bits & 16) !== 0,
    hasBye: (bits & 32) !== 0,
  };
}

/** All 64 inputs of the connection machine. */
export const ALL_MACHINE_INPUTS: readonly ConnectionMachineInput[] = Array.from({ length: 64 }, (_, bits) => machineInputOf(bits));
