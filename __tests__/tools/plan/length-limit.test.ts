import { GITHUB_COMMENT_MAX_CHARS } from '../../../tools/plan/constants';
import type { PlanJson } from '../../../tools/plan/plan-json';
import { renderComment } from '../../../tools/plan/render';
import { summarizePlan } from '../../../tools/plan/summarize';
import { loadFixture } from './fixtures';
import { replicatePlan } from '../../../tools/plan/replicate-plan';

/** A plan of `count` changes built by replicating the real resource_changes of the mixed fixture. */
function replicatedPlan(count: number): PlanJson {
  return replicatePlan(loadFixture('mixed'), count);
}

describe('length limit', () => {
  describe('a plan of 10,000 changes', () => {
    const plan = replicatedPlan(10_000);

    it('renders in under 1 s and fits in one GitHub comment, summary kept, note added', () => {
      const started = performance.now();
      const markdown = renderComment([summarizePlan('big', plan)], { artifactName: 'plans-123' });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(1000);
      expect(markdown.length).toBeLessThan(GITHUB_COMMENT_MAX_CHARS);
      expect(markdown).toContain('| 2500 | 2500 | 2500 | 2500 |');
      expect(markdown).toContain('> [!WARNING]');
      expect(markdown).toContain('…and 4975 more');
      expect(markdown).toContain('The full plan is in the workflow artifact `plans-123`');
      expect(markdown).toContain('<!-- /stack:big -->');
    });
  });

  describe('several stacks over the limit', () => {
    it('trims the largest stack first and keeps the details of the others', () => {
      const markdown = renderComment(
        [summarizePlan('small', loadFixture('update-in-place')), summarizePlan('large', replicatedPlan(400))],
        { runUrl: 'https://github.example/o/r/actions/runs/7' },
      );
      expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
      expect(markdown).toContain('<code>input.tags.Name</code>'); // small stack's details kept
      expect(markdown).toContain('of [this run](https://github.example/o/r/actions/runs/7)');
      expect(markdown.match(/Details( of \d+ of \d+ entries \(the least dangerous\))? left out/g)).toHaveLength(1);
    });

    it('trims nothing when everything fits', () => {
      expect(renderComment([summarizePlan('s', replicatedPlan(20))])).not.toContain('Details left out');
    });

    it('honours a smaller limit', () => {
      const markdown = renderComment([summarizePlan('a', replicatedPlan(40)), summarizePlan('b', replicatedPlan(40))], {
        maxChars: 5000,
      });
      expect(markdown.length).toBeLessThanOrEqual(5000);
      expect(markdown.match(/Details( of \d+ of \d+ entries \(the least dangerous\))? left out/g)).toHaveLength(2);
    });
  });

  describe('details too long for any comment are not rendered', () => {
    it.each([
      [65_536, [10_000]],
      [65_536, [400, 1, 150]],
      [20_000, [30, 60, 3]],
    ])('stays within the limit and keeps every stack (limit %i, stacks of %j changes)', (maxChars, counts) => {
      const summaries = counts.map((count, index) => summarizePlan(`stack-${index}`, replicatedPlan(count)));
      const markdown = renderComment(summaries, { maxChars });
      expect(markdown.length).toBeLessThanOrEqual(maxChars);
      for (const summary of summaries) expect(markdown).toContain(`<!-- /stack:${summary.stack} -->`);
    });

    it.each([
      [5_000, [1, 10, 40]],
      [2_000, [1, 2, 5]],
    ])('cuts the text with a note only when the stack heads alone are longer than the limit (%i, %j)', (maxChars, counts) => {
      const summaries = counts.map((count, index) => summarizePlan(`stack-${index}`, replicatedPlan(count)));
      const markdown = renderComment(summaries, { maxChars });
      expect(markdown.length).toBeLessThanOrEqual(maxChars);
      expect(markdown.endsWith('The full plan is in the workflow artifact `terraform-plans`._')).toBe(true);
    });

    it('renders a stack whose details just fit, and trims one just over', () => {
      const summary = summarizePlan('edge', replicatedPlan(12));
      const fullComment = renderComment([summary], { maxChars: Number.POSITIVE_INFINITY });
      expect(fullComment).not.toContain('left out');
      expect(renderComment([summary], { maxChars: fullComment.length })).toBe(fullComment);
      expect(renderComment([summary], { maxChars: fullComment.length - 1 })).toContain('left out');
    });
  });
});
