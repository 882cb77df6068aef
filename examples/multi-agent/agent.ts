/**
 * One agent of the multi-agent example, in its own process: connects to the engine over TCP and
 * plays the resource grid with a named policy until the engine sends `end`.
 *
 *   npx tsx examples/multi-agent/agent.ts <port> <policy>
 */
import { MasepInterface, RESOURCE_GRID, demoGames } from '../../src/actors/masep/index.js';

const [port = '60000', policyName = 'greedy'] = process.argv.slice(2);
const policy = demoGames.require(RESOURCE_GRID).policies?.[policyName];
if (!policy) throw new Error(`unknown policy ${policyName}`);

const agent = await MasepInterface.connect({ game: RESOURCE_GRID, port: Number(port), policy, retry: { attempts: 5 } });
const end = await agent.done;
process.stdout.write(`agent ${agent.id.slice(0, 8)} (${policyName}): ${end.actions} actions, ended by ${end.reason}\n`);
