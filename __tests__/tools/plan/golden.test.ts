import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderComment } from '../../../tools/plan/render';
import { failedStack, summarizePlan } from '../../../tools/plan/summarize';
import { FIXTURE_NAMES, GOLDEN_DIR, loadFixture } from './fixtures';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function expectGolden(name: string, markdown: string): void {
  const file = join(GOLDEN_DIR, `${name}.md`);
  if (UPDATE) writeFileSync(file, markdown);
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(markdown).toBe(readFileSync(file, 'utf8'));
}

describe('golden markdown', () => {
  describe('one stack per fixture', () => {
    it.each(FIXTURE_NAMES)('%s', (name) => {
      expectGolden(name, renderComment([summarizePlan(name, loadFixture(name))]));
    });
  });

  describe('several stacks in one comment, one of them failed', () => {
    it('sorts stacks by name and shows the failed one as failed', () => {
      const markdown = renderComment([
        summarizePlan('prod', loadFixture('mixed')),
        failedStack('dev', 'the plan step failed; see the workflow log'),
        summarizePlan('staging', loadFixture('sensitive')),
      ]);
      expectGolden('multi-stack', markdown);
    });
  });

  it('keeps no golden file without a fixture', () => {
    const goldens = readdirSync(GOLDEN_DIR).map((file) => file.replace(/\.md$/, '')).sort();
    expect(goldens).toEqual([...FIXTURE_NAMES, 'multi-stack'].sort());
  });
});
