/**
 * Run by `npm test` before jest: when terraform or the provider mirror is missing, say what to
 * install or set in one message and stop, instead of failing dozens of tests with stack traces.
 */
import { PROVIDER_MIRROR_ENV, resolveProviderSource } from './provider-source';
import { setupProblem } from './verify-stacks';

const source = resolveProviderSource();
const problem = setupProblem(source);
if (problem) {
  console.error(`The Terraform checks cannot run on this machine: ${problem}.`);
  console.error(`See README.md, "Terraform checks" (provider mirror: ${PROVIDER_MIRROR_ENV}).`);
  process.exit(1);
}
const where = source.kind === 'mirror' ? `provider mirror ${source.path}` : 'the public registry';
console.log(`Terraform checks: AWS provider from ${where}`);
