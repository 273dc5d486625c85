import { propagationSegments, SEGMENT_REACH, segmentReaches, transitDestinations } from '../../../modules/network/segmentation';
import { shippedPlatform } from '../../helpers/platform';
import type { Segment } from '../../../environments/schema';

describe('segmentation', () => {
  it.each<[Segment, Segment, boolean]>([
    ['prod', 'shared', true],
    ['nonprod', 'shared', true],
    ['shared', 'prod', true],
    ['shared', 'nonprod', true],
    ['prod', 'nonprod', false],
    ['nonprod', 'prod', false],
    ['prod', 'prod', false],
    ['nonprod', 'nonprod', false],
  ])('%s reaches %s: %s', (from, to, expected) => {
    expect(segmentReaches(from, to)).toBe(expected);
  });

  it('is symmetric', () => {
    for (const [from, targets] of Object.entries(SEGMENT_REACH)) for (const to of targets) expect(segmentReaches(to, from as Segment)).toBe(true);
  });

  it('propagates a segment into the route tables of the segments that reach it', () => {
    expect(propagationSegments('prod')).toEqual(['shared']);
    expect(propagationSegments('nonprod')).toEqual(['shared']);
    expect(propagationSegments('shared')).toEqual(['prod', 'nonprod', 'shared']);
  });

  describe('transitDestinations of the shipped environments', () => {
    const platform = shippedPlatform();
    const of = (name: string) => transitDestinations(platform.environment(name), platform.environments, platform.organization);

    it.each([
      ['dev', [['shared', '10.0.0.0/16']]],
      ['staging', [['shared', '10.0.0.0/16']]],
      ['prod', [['shared', '10.0.0.0/16'], ['on_premises_192_168_0_0_16', '192.168.0.0/16']]],
      [
        'shared',
        [
          ['dev', '10.10.0.0/16'],
          ['prod', '10.30.0.0/16'],
          ['staging', '10.20.0.0/16'],
          ['on_premises_192_168_0_0_16', '192.168.0.0/16'],
        ],
      ],
    ])('%s routes %j to the gateway', (env, expected) => {
      expect(of(env).map((destination) => [destination.name, destination.cidr])).toEqual(expected);
    });
  });
});
