/**
 * The root of every error actorwire raises. Each error carries a stable string `code` that callers
 * can switch on; messages are for humans and may change between versions.
 *
 * @example
 * ```ts
 * try { decoder.push(chunk, onFrame); }
 * catch (err) { if (err instanceof ActorwireError && err.code === 'FRAME_TOO_LARGE') { ... } }
 * ```
 */
export class ActorwireError extends Error {
  /** Stable machine-readable identifier, e.g. `FRAME_TOO_LARGE`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
