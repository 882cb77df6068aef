/**
 * socket-oneline actors: the server with its pluggable command handlers, and the client.
 * @packageDocumentation
 */
export { CommandRegistry, type OnelineHandler, type OnelineRequest, type OnelineResponse } from './command-registry.js';
export { OnelineClient, type OnelineClientOptions } from './oneline-client.js';
export { OnelineServer, type OnelineServerOptions, type OnelineServerStats } from './oneline-server.js';
export type { OnelineCommandStats } from './oneline-session.js';
export { sampleHandlers } from './sample-handlers.js';
