import { resolveStep } from '../../../tools/promote/chain';
import { shippedPlatform } from '../../helpers/platform';

describe('resolveStep', () => {
  const platform = shippedPlatform();

  describe('one step of the chain', () => {
    it.each([
      ['dev', 'staging'],
      ['staging', 'prod'],
    ])('%s -> %s is allowed', (from, to) => {
      const step = resolveStep(platform, from, to);
      expect([step.from.name, step.to.name, step.forced]).toEqual([from, to, undefined]);
    });
  });

  describe('leaving the chain', () => {
    it('refuses dev -> prod without --force, naming the skipped environment', () => {
      expect(() => resolveStep(platform, 'dev', 'prod')).toThrow(/promoting dev -> prod skips staging .*pass --force --reason/);
    });

    it('allows dev -> prod with --force and a reason, and records both', () => {
      const step = resolveStep(platform, 'dev', 'prod', { force: true, reason: 'hotfix INC-42' });
      expect(step.forced).toEqual({ reason: 'hotfix INC-42', skipped: ['staging'] });
    });

    it.each([
      [{ force: true }, /--force needs --reason/],
      [{ force: true, reason: '  ' }, /--force needs --reason/],
      [{ reason: 'because' }, /--reason is only used with --force/],
    ])('refuses %j', (options, message) => {
      expect(() => resolveStep(platform, 'dev', 'prod', options)).toThrow(message);
    });

    it('refuses going backwards without --force', () => {
      expect(() => resolveStep(platform, 'prod', 'staging')).toThrow(/prod -> staging goes against the chain \(dev -> staging -> prod\)/);
    });
  });

  describe('bad environments', () => {
    it.each([
      ['qa', 'staging', /unknown environment "qa"; known: dev, prod, shared, staging \(promotion chain: dev -> staging -> prod\)/],
      ['dev', 'shared', /environment "shared" is not in the promotion chain \(dev -> staging -> prod\)/],
      ['shared', 'dev', /environment "shared" is not in the promotion chain/],
      ['dev', 'dev', /cannot promote "dev" into itself/],
    ])('%s -> %s', (from, to, message) => {
      expect(() => resolveStep(platform, from, to)).toThrow(message);
    });
  });
});
