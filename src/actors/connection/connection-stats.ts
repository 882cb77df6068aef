/** Counters of one connection. */
export interface ConnectionStats {
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  /** Calls to `socket.write` (frames queued in the same tick share one). */
  socketWrites: number;
  /** Frames waiting in the send queue now. */
  queuedFrames: number;
  /** Bytes waiting in the send queue now. */
  queuedBytes: number;
  /** The most bytes the send queue has held. */
  peakQueuedBytes: number;
  /** Frames evicted by the `drop-oldest` policy. */
  droppedFrames: number;
  /** Sends refused because the queue was full (`block` policy). */
  refusedSends: number;
}

/** A fresh set of counters, all zero. */
export function zeroConnectionStats(): ConnectionStats {
  return {
    bytesIn: 0,
    bytesOut: 0,
    framesIn: 0,
    framesOut: 0,
    socketWrites: 0,
    queuedFrames: 0,
    queuedBytes: 0,
    peakQueuedBytes: 0,
    droppedFrames: 0,
    refusedSends: 0,
  };
}
