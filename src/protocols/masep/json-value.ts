/** A JSON value, as `JSON.stringify` writes it: the shape of every `toJSON()` view of a masep value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { readonly [key: string]: JsonValue };
