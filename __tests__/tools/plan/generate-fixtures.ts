/**
 * Regenerates the plan JSON fixtures with terraform: `npx tsx __tests__/tools/plan/generate-fixtures.ts`.
 * Then rewrite the golden files: `UPDATE_GOLDEN=1 npx jest __tests__/tools/plan`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planAllScenarios } from './terraform-data-plans';

/** Where the fixtures live. */
export const FIXTURES_DIR = join(__dirname, 'fixtures');

async function generate(): Promise<void> {
  const plans = await planAllScenarios();
  for (const [name, plan] of plans) {
    writeFileSync(join(FIXTURES_DIR, `${name}.json`), `${JSON.stringify(plan, null, 2)}\n`);
    process.stdout.write(`wrote fixtures/${name}.json\n`);
  }
}

if (require.main === module) {
  generate().catch((error: unknown) => {
    process.stderr.write(`generate-fixtures: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
