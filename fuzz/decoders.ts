/**
 * `npm run fuzz`: every protocol's decoder, in process, fed mutated valid frames (see
 * `mutator.ts`, `targets.ts`); prints inputs/s, refusals, crashes (anything but a named error
 * escaping) with the first inputs that caused them, and peak RSS. Exit code 1 on any crash.
 *
 * Options: --inputs N per protocol (default 1 000 000), --seed N (default 1), --only obe|rsb|masep|oneline
 */
import { parseArgs } from 'node:util';
import { fuzzTarget } from './campaign.js';
import { FUZZ_TARGETS } from './targets.js';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('npm run fuzz -- [--inputs 1000000] [--seed 1] [--only obe|rsb|masep|oneline]\n');
  process.exit(0);
}
const inputs = Number(values.inputs);
const seed = Number(values.seed);
if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(seed)) {
  process.stderr.write('--inputs must be a positive integer and --seed an integer\n');
  process.exit(2);
}
const targets = FUZZ_TARGETS.filter((t) => values.only === undefined || t.name === values.only);
if (targets.length === 0) {
  process.stderr.write(`--only must be one of ${FUZZ_TARGETS.map((t) => t.name).join(', ')}\n`);
  process.exit(2);
}
let crashed = false;
process.stdout.write(`decoder fuzz: ${inputs.toLocaleString('en')} mutated inputs per protocol, seed ${seed}\n`);
for (const target of targets) {
  const report = fuzzTarget(target, inputs, seed, (done) => process.stderr.write(`\r  ${target.name}: ${done.toLocaleString('en')} inputs`));
  process.stderr.write('\r\x1b[K');
  process.stdout.write(
    `${target.name.padEnd(8)} ${report.inputs.toLocaleString('en').padStart(11)} inputs  ${Math.round(report.inputs / report.seconds).toLocaleString('en').padStart(9)}/s  refused ${report.refused.toLocaleString('en').padStart(9)}  crashes ${report.crashCount}  peak RSS ${report.peakRssMiB.toFixed(0)} MiB\n`,
  );
  for (const crash of report.crashes) process.stdout.write(`  crash: ${crash.error}\n    input (hex): ${crash.input.slice(0, 400)}\n`);
  if (report.crashCount > 0) crashed = true;
}
process.exitCode = crashed ? 1 : 0;
