import type { XmlElement } from './xml-element.js';

/**
 * A part of a received object that is decoded from its element only when first read (see
 * `readXml`'s `defer`). The reader is a plain function shared by all instances, so deferring a
 * part costs one small object, not a closure or a property definition.
 */
export class DeferredPart<T> {
  private constructor(
    private readonly read: (element: XmlElement, context: unknown) => T,
    private readonly element: XmlElement,
    private readonly context: unknown,
  ) {}

  /** A part that `read(element, context)` decodes. */
  static of<T, C>(read: (element: XmlElement, context: C) => T, element: XmlElement, context: C): DeferredPart<T> {
    return new DeferredPart(read as (element: XmlElement, context: unknown) => T, element, context);
  }

  /** Decodes the part; throws what the reader throws (a `MasepError`). */
  decode(): T {
    return this.read(this.element, this.context);
  }
}

/** A field that holds its value, or the {@link DeferredPart} that decodes it. */
export type MaybeDeferred<T> = T | DeferredPart<T>;
