/**
 * The cdktf app: every directory of `environments/` becomes its stacks. `npx cdktf synth`
 * runs this file; `npm run synth` runs the same synthesis and prints a summary per stack.
 */
import { ConfigError } from './modules/core/config-issue';
import { GuardrailError } from './modules/guardrails';
import { synthesize } from './tools/synth/synthesize';

try {
  synthesize({ outdir: process.env.CDKTF_OUTDIR });
} catch (error) {
  if (error instanceof ConfigError || error instanceof GuardrailError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
