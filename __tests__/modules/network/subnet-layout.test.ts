import { planSubnets, subnetLayoutProblem, tierRange, SMALLEST_VPC_PREFIX } from '../../../modules/network/subnet-layout';
import { cidrsOverlap } from '../../../modules/core/cidr';

describe('planSubnets', () => {
  const zones = ['eu-west-1b', 'eu-west-1a', 'eu-west-1c'];
  const plan = planSubnets('10.30.0.0/16', zones);
  const cidrOf = (tier: string, zone: string) => plan.find((subnet) => subnet.tier === tier && subnet.zone === zone)?.cidr;

  it.each([
    ['app', 'eu-west-1a', '10.30.0.0/21'],
    ['app', 'eu-west-1b', '10.30.8.0/21'],
    ['app', 'eu-west-1c', '10.30.16.0/21'],
    ['data', 'eu-west-1a', '10.30.64.0/21'],
    ['data', 'eu-west-1c', '10.30.80.0/21'],
    ['public', 'eu-west-1a', '10.30.128.0/21'],
    ['public', 'eu-west-1b', '10.30.136.0/21'],
    ['transit', 'eu-west-1a', '10.30.192.0/28'],
    ['transit', 'eu-west-1b', '10.30.192.16/28'],
    ['transit', 'eu-west-1c', '10.30.192.32/28'],
  ])('puts %s in %s at %s', (tier, zone, cidr) => {
    expect(cidrOf(tier, zone)).toBe(cidr);
  });

  it('plans one subnet per tier per zone, none overlapping', () => {
    expect(plan).toHaveLength(12);
    plan.forEach((a, i) => plan.slice(i + 1).forEach((b) => expect(cidrsOverlap(a.cidr, b.cidr)).toBe(false)));
  });

  it('gives a zone the same subnets whatever other zones are listed, in any order', () => {
    const alone = planSubnets('10.30.0.0/16', ['eu-west-1c']);
    for (const subnet of alone) expect(cidrOf(subnet.tier, subnet.zone)).toBe(subnet.cidr);
  });

  it('keeps every tier subnet inside its tier range', () => {
    for (const subnet of plan) expect(cidrsOverlap(subnet.cidr, tierRange('10.30.0.0/16', subnet.tier))).toBe(true);
    expect(tierRange('10.30.0.0/16', 'public')).toBe('10.30.128.0/18');
    expect(tierRange('10.30.0.0/16', 'app')).toBe('10.30.0.0/18');
    expect(tierRange('10.30.0.0/16', 'data')).toBe('10.30.64.0/18');
  });

  it('carves the smallest allowed VPC', () => {
    expect(planSubnets(`10.0.0.0/${SMALLEST_VPC_PREFIX}`, ['eu-west-1a']).map((subnet) => subnet.cidr)).toEqual([
      '10.0.4.0/26', // public
      '10.0.0.0/26', // app
      '10.0.2.0/26', // data
      '10.0.6.0/28', // transit
    ]);
  });
});

describe('subnetLayoutProblem', () => {
  it.each([
    ['10.0.0.0/15', ['eu-west-1a'], /larger than AWS allows/],
    ['10.0.0.0/22', ['eu-west-1a'], /too small for the subnet layout.*use a \/21 or larger/],
    ['10.0.0.0/16', ['eu-west-1a', 'eu-west-1a'], /zones eu-west-1a are listed twice/],
    ['10.0.0.0/16', ['us-east-1z'], /zones us-east-1z have no subnet slot/],
  ])('rejects %s with %j', (cidr, zones, message) => {
    expect(subnetLayoutProblem(cidr, zones)).toMatch(message);
    expect(() => planSubnets(cidr, zones)).toThrow(message);
  });

  it('accepts a /16 with three zones', () => {
    expect(subnetLayoutProblem('10.0.0.0/16', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])).toBeUndefined();
  });
});
