import { fixturePath, loadFixture } from './fixtures';
import { comparePlans, differenceLine, judgeDifferences, main, plannedChanges } from '../../../tools/plan/compare-plans';
import type { PlanJson } from '../../../tools/plan/plan-json';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const clone = (plan: PlanJson): PlanJson => JSON.parse(JSON.stringify(plan));

describe('comparing a fresh plan with the reviewed one', () => {
  it('finds no difference between a plan and itself, or a copy with other key order and metadata', () => {
    const plan = loadFixture('mixed');
    const copy = clone(plan);
    copy.terraform_version = '9.9.9';
    copy.resource_changes!.reverse();
    expect(comparePlans(plan, copy)).toEqual([]);
  });

  it('leaves out instances with nothing to do', () => {
    expect([...plannedChanges(loadFixture('delete')).keys()]).toEqual(['terraform_data.obsolete']);
  });

  it('tells the two replacement orders apart', () => {
    const reviewed = loadFixture('replace-create-before-destroy');
    const fresh = clone(reviewed);
    fresh.resource_changes![0].change.actions = ['delete', 'create'];
    expect(comparePlans(reviewed, fresh).map(differenceLine)).toEqual([
      'terraform_data.blue_green: reviewed plan create+delete, fresh plan delete+create',
    ]);
  });

  it('names the attributes whose planned values differ, never the values', () => {
    const reviewed = loadFixture('sensitive');
    const fresh = clone(reviewed);
    const change = fresh.resource_changes!.find((c) => c.change.actions.includes('update') || c.change.actions.includes('create'))!;
    (change.change.after as Record<string, unknown>).input = 'changed-after-review';
    const lines = comparePlans(reviewed, fresh).map(differenceLine);
    expect(lines).toEqual([`${change.address}: planned values differ in input`]);
    expect(lines.join()).not.toContain('changed-after-review');
  });

  it('lists changes only one of the plans has: what only the fresh plan does refuses, what only the reviewed plan did was applied already', () => {
    expect(judgeDifferences(loadFixture('create'), loadFixture('delete')).map((d) => `${d.accepted ? 'accepted' : 'refused'} ${d.difference.kind} ${d.difference.key}`)).toEqual(
      expect.arrayContaining(['accepted only-reviewed terraform_data.app', 'refused only-fresh terraform_data.obsolete']),
    );
    expect(comparePlans(loadFixture('create'), loadFixture('delete')).map((d) => `${d.kind} ${d.key}`)).not.toContain('only-reviewed terraform_data.app');
  });

  it('treats values known only after apply as equal, whatever placeholder the JSON carries', () => {
    const reviewed = loadFixture('create');
    const fresh = clone(reviewed);
    expect(reviewed.resource_changes![0].change.after_unknown).toMatchObject({ id: true });
    (fresh.resource_changes![0].change.after as Record<string, unknown>).id = 'some-placeholder';
    expect(comparePlans(reviewed, fresh)).toEqual([]);
    // A known value that changes is a difference.
    (fresh.resource_changes![0].change.after_unknown as Record<string, unknown>).id = false;
    expect(comparePlans(reviewed, fresh).map(differenceLine)).toEqual(['terraform_data.app: planned values differ in id']);
  });

  describe('the CLI', () => {
    it('exits 0 when the changes are the same', async () => {
      const file = fixturePath('mixed');
      expect(await run('--reviewed', file, '--fresh', file)).toEqual({
        code: 0,
        stdout: 'the fresh plan makes the same changes as the reviewed plan\n',
        stderr: '',
      });
    });

    it('exits 1 with one line per difference', async () => {
      const { code, stdout, stderr } = await run('--reviewed', fixturePath('update-in-place'), '--fresh', fixturePath('mixed'));
      expect(code).toBe(1);
      expect(stdout).toContain('terraform_data.zz_old: fresh plan delete, not in the reviewed plan\n');
      expect(stderr).toMatch(/^compare-plans: the fresh plan differs from the reviewed plan in \d+ resource\(s\)/);
    });

    it.each([
      [['--reviewed', '/no/such.json', '--fresh', fixturePath('mixed')], /^compare-plans: cannot read plan file "\/no\/such.json" \(ENOENT\)/],
      [['--reviewed', __filename, '--fresh', fixturePath('mixed')], /^compare-plans: ".*compare-plans.test.ts" is not JSON/],
    ])('refuses bad input %j with one line', async (argv, message) => {
      const { code, stderr } = await run(...argv);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
