import { actionGroupOf, summarizePlan, type ChangeCounts } from '../../../tools/plan/summarize';
import { loadFixture } from './fixtures';

const zero: ChangeCounts = { add: 0, change: 0, replace: 0, destroy: 0, import: 0, move: 0, forget: 0, read: 0, noOp: 0 };

describe('summarizePlan', () => {
  describe('counts of real terraform plans', () => {
    it.each<[string, Partial<ChangeCounts>]>([
      ['create', { add: 2 }],
      ['update-in-place', { change: 1 }],
      ['delete', { destroy: 1, noOp: 1 }],
      ['replace-delete-before-create', { replace: 1 }],
      ['replace-create-before-destroy', { replace: 1 }],
      ['sensitive', { add: 1, change: 1 }],
      ['outputs', { add: 1 }],
      ['import', { import: 1, change: 1 }],
      ['move', { move: 2, change: 1 }],
      ['forget', { forget: 1, noOp: 1 }],
      ['drift', {}],
      ['no-changes', { noOp: 1 }],
      ['mixed', { add: 1, change: 1, replace: 1, destroy: 1 }],
    ])('%s', (name, expected) => {
      expect(summarizePlan(name, loadFixture(name)).counts).toEqual({ ...zero, ...expected });
    });
  });

  describe('replacements', () => {
    it.each([
      ['delete-then-create', 'replace-delete-before-create'],
      ['create-before-destroy', 'replace-create-before-destroy'],
    ])('count a %s replacement once, as replace, never as create plus delete', (_order, name) => {
      const summary = summarizePlan(name, loadFixture(name));
      expect(summary.counts).toMatchObject({ replace: 1, add: 0, destroy: 0 });
      expect(summary.changes.map((change) => change.group)).toEqual(['replace']);
    });

    it('keeps the replace_paths that force the replacement', () => {
      const [change] = summarizePlan('r', loadFixture('replace-delete-before-create')).changes;
      expect(change.replacePaths).toEqual([['triggers_replace']]);
    });
  });

  describe('order', () => {
    it('puts destroy, then replace, then update, then create, each by address', () => {
      const summary = summarizePlan('mixed', loadFixture('mixed'));
      expect(summary.changes.map((change) => `${change.group} ${change.address}`)).toEqual([
        'destroy terraform_data.zz_old',
        'replace terraform_data.aa_server',
        'update terraform_data.app',
        'create terraform_data.bb_new',
      ]);
    });

    it('does not depend on the order of resource_changes in the file', () => {
      const plan = loadFixture('mixed');
      const reversed = { ...plan, resource_changes: [...(plan.resource_changes ?? [])].reverse() };
      expect(summarizePlan('m', reversed)).toEqual(summarizePlan('m', plan));
    });
  });

  describe('imports, moves, forgets and drift', () => {
    it('marks an imported object with its import id', () => {
      const [change] = summarizePlan('i', loadFixture('import')).changes;
      expect(change).toMatchObject({ importing: true, importId: 'existing-object-id' });
    });

    it('keeps a move without other changes as a change to show, not as no-op', () => {
      const summary = summarizePlan('m', loadFixture('move'));
      expect(summary.changes.map((change) => [change.address, change.previousAddress])).toEqual([
        ['terraform_data.new_changed', 'terraform_data.old_changed'],
        ['terraform_data.new_name', 'terraform_data.old_name'],
      ]);
    });

    it('never counts a forget as a destroy', () => {
      const summary = summarizePlan('f', loadFixture('forget'));
      expect(summary.counts.destroy).toBe(0);
      expect(summary.changes.map((change) => change.group)).toEqual(['forget']);
    });

    it('reads resource_drift', () => {
      const summary = summarizePlan('d', loadFixture('drift'));
      expect(summary.drift.map((change) => [change.address, change.previousAddress])).toEqual([
        ['terraform_data.after_refresh', 'terraform_data.before_refresh'],
      ]);
    });

    it('lists output changes other than no-op, by name', () => {
      const summary = summarizePlan('o', loadFixture('outputs'));
      expect(summary.outputs.map((output) => `${output.group} ${output.name}`)).toEqual([
        'create added',
        'update changed',
        'create marker_id',
        'destroy removed',
        'update secret',
      ]);
    });
  });

  describe('failure', () => {
    it('marks a plan with errored: true as failed', () => {
      expect(summarizePlan('e', { ...loadFixture('create'), errored: true }).failure).toMatch(/errors while planning/);
    });
  });
});

describe('actionGroupOf', () => {
  it.each([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete'], 'destroy'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['read'], 'read'],
    [['forget'], 'forget'],
    [['no-op'], 'no-op'],
  ])('%j is %s', (actions, group) => {
    expect(actionGroupOf(actions)).toBe(group);
  });
});
