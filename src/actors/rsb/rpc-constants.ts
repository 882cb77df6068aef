import { Scope } from '../../protocols/rsb/index.js';

/** `method` of an RPC request event. */
export const REQUEST_METHOD = 'REQUEST';
/** `method` of an RPC reply event. */
export const REPLY_METHOD = 'REPLY';
/**
 * User info key marking a failed call's reply. Its value differs between implementations
 * (`"1"` in Python, Java and Lisp, `""` in C++): receivers check for the key only.
 */
export const RPC_ERROR_KEY = 'rsb:error?';

/**
 * The scope of method `name` of a server on `serverScope`: `S/m/`. Method names are scope
 * components (`[-_a-zA-Z0-9]+`); anything else throws `RSB_INVALID_SCOPE`.
 */
export function methodScope(serverScope: Scope, name: string): Scope {
  return serverScope.concat(Scope.fromComponents([name]));
}
