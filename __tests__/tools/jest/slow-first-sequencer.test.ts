/** The jest sequencer (tools/jest/slow-first-sequencer.cjs): slow suites start first on a run jest has not timed. */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { declaredCpuSeconds, slowFirst } = require(path.join(ROOT, 'tools', 'jest', 'slow-first-sequencer.cjs')) as {
  declaredCpuSeconds: (source: string, file: string) => number | undefined;
  slowFirst: <T extends { path: string; duration?: number | null }>(sorted: readonly T[], cpuSecondsOf: (file: string) => number | undefined) => T[];
};

describe('the @slow pragma', () => {
  it('reads the CPU seconds from the leading docblock', () => {
    expect(declaredCpuSeconds('/**\n * Terraform checks.\n * @slow 80 terraform test of every stack\n */\nimport x from "y";', 'a.test.ts')).toBe(80);
  });

  it('is absent from a suite without it, or with it below the first comment only', () => {
    expect(declaredCpuSeconds('/** A fast suite. */\nit("x", () => {});', 'a.test.ts')).toBeUndefined();
    expect(declaredCpuSeconds('import x from "y";\n/** @slow 10 */', 'a.test.ts')).toBeUndefined();
  });

  it('must start with a positive number of seconds', () => {
    expect(() => declaredCpuSeconds('/** @slow terraform */', 'b.test.ts')).toThrow(/b\.test\.ts: @slow must start with the CPU seconds.*got "@slow terraform"/);
    expect(() => declaredCpuSeconds('/** @slow -3 */', 'b.test.ts')).toThrow(/got "@slow -3"/);
  });

  it('is declared by the slowest suites of this repository', () => {
    const terraformChecks = path.join(ROOT, '__tests__', 'terraform', 'stacks.terraform.test.ts');
    expect(declaredCpuSeconds(fs.readFileSync(terraformChecks, 'utf8'), terraformChecks)).toBeGreaterThan(0);
  });
});

describe('slowFirst', () => {
  const seconds: Record<string, number> = { 'terraform.test.ts': 80, 'secrets.test.ts': 40 };
  const cpuSecondsOf = (file: string) => seconds[file];
  const suite = (file: string, duration?: number) => ({ path: file, duration });

  it('starts untimed slow suites first, most CPU first, and keeps the rest in order', () => {
    const order = slowFirst([suite('big.test.ts'), suite('secrets.test.ts'), suite('small.test.ts'), suite('terraform.test.ts')], cpuSecondsOf);
    expect(order.map((test) => test.path)).toEqual(['terraform.test.ts', 'secrets.test.ts', 'big.test.ts', 'small.test.ts']);
  });

  it("leaves suites jest has timed in jest's order", () => {
    const timed = [suite('secrets.test.ts', 30_000), suite('terraform.test.ts', 20_000), suite('small.test.ts', 100)];
    expect(slowFirst(timed, cpuSecondsOf)).toEqual(timed);
  });
});
