/** `npm run verify`: mocked plan/apply of every synthesized stack (validated first; `terraform validate` on failure). */
import { TerraformSetupError, verifyStacks } from './verify-stacks';

async function main(): Promise<number> {
  try {
    const result = await verifyStacks({ stacks: process.argv.slice(2).length ? process.argv.slice(2) : undefined });
    for (const stack of result.stacks) {
      const ok = stack.validateErrors.length === 0 && stack.testErrors.length === 0;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${stack.stack}`);
      for (const error of [...stack.validateErrors, ...stack.testErrors]) console.log(`       ${error}`);
    }
    for (const error of result.otherErrors) console.log(`FAIL ${error}`);
    const { init, validate, test } = result.durationsMs;
    const validated = validate > 0 ? `, validate ${validate} ms` : '';
    console.log(`\n${result.stacks.length} stacks: init ${init} ms, mocked plan+apply ${test} ms${validated}`);
    const failed = result.stacks.some((s) => s.validateErrors.length || s.testErrors.length) || result.otherErrors.length > 0 || !result.testsPassed;
    return failed ? 1 : 0;
  } catch (error) {
    if (error instanceof TerraformSetupError) {
      console.error(`cannot run the Terraform checks: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => (process.exitCode = code));
