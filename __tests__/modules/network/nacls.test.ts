import { TierNetworkAcls, type TierNetworkAclsProps } from '../../../modules/network/nacls';
import { NACL_RULE_STEP } from '../../../modules/network/defaults';
import { resourcesOf, synthJson, vpcStack, ZONES_3 } from './helpers';

function naclRules(props: Partial<TierNetworkAclsProps> = {}) {
  const { stack, vpc } = vpcStack({ availabilityZones: ZONES_3 });
  new TierNetworkAcls(stack, 'nacls', { vpc, ...props });
  const json = synthJson(stack);
  const rules = resourcesOf(json, 'aws_network_acl_rule');
  const of = (tier: string, egress: boolean) =>
    Object.entries(rules)
      .filter(([, rule]) => rule.network_acl_id === `\${aws_network_acl.nacls_${tier}.id}` && rule.egress === egress)
      .map(([name, rule]) => ({ name, number: rule.rule_number, protocol: rule.protocol, cidr: rule.cidr_block, from: rule.from_port, to: rule.to_port }))
      .sort((a, b) => a.number - b.number);
  return { json, rules, of };
}

describe('TierNetworkAcls', () => {
  describe('with the defaults (ALB open to the world, service port 8080, database port 5432)', () => {
    const { json, of } = naclRules();

    it('lets the public tier take 443/80 from anywhere, 443 from the VPC (NAT) and ephemeral returns', () => {
      expect(of('public', false)).toEqual([
        { name: 'nacls_public_in_https_0_0_0_0_0', number: 100, protocol: 'tcp', cidr: '0.0.0.0/0', from: 443, to: 443 },
        { name: 'nacls_public_in_http_0_0_0_0_0', number: 200, protocol: 'tcp', cidr: '0.0.0.0/0', from: 80, to: 80 },
        { name: 'nacls_public_in_nat_https_from_vpc', number: 500, protocol: 'tcp', cidr: '10.10.0.0/16', from: 443, to: 443 },
        // Admitting the internet, the return range leaves out 3389 (22 is below it): CIS 5.1, checkov CKV_AWS_229-232.
        { name: 'nacls_public_in_ephemeral_1024_3388', number: 900, protocol: 'tcp', cidr: '0.0.0.0/0', from: 1024, to: 3388 },
        { name: 'nacls_public_in_ephemeral_3390_65535', number: 910, protocol: 'tcp', cidr: '0.0.0.0/0', from: 3390, to: 65535 },
      ]);
    });

    it('lets the app tier take service ports from the public range only, 443 from the VPC, and ephemeral', () => {
      expect(of('app', false)).toEqual([
        { name: 'nacls_app_in_service_8080', number: 300, protocol: 'tcp', cidr: '10.10.128.0/18', from: 8080, to: 8080 },
        { name: 'nacls_app_in_endpoints_https_from_vpc', number: 500, protocol: 'tcp', cidr: '10.10.0.0/16', from: 443, to: 443 },
        { name: 'nacls_app_in_ephemeral_1024_3388', number: 900, protocol: 'tcp', cidr: '0.0.0.0/0', from: 1024, to: 3388 },
        { name: 'nacls_app_in_ephemeral_3390_65535', number: 910, protocol: 'tcp', cidr: '0.0.0.0/0', from: 3390, to: 65535 },
      ]);
      expect(of('app', true).map((rule) => [rule.number, rule.cidr, rule.from])).toEqual([
        [100, '0.0.0.0/0', 443],
        [400, '10.10.64.0/18', 5432],
        [900, '0.0.0.0/0', 1024],
      ]);
    });

    it('lets the data tier talk to the app range on database ports and to nothing outside the VPC', () => {
      expect(of('data', false)).toEqual([
        { name: 'nacls_data_in_database_5432', number: 400, protocol: 'tcp', cidr: '10.10.0.0/18', from: 5432, to: 5432 },
        { name: 'nacls_data_in_ephemeral', number: 900, protocol: 'tcp', cidr: '10.10.0.0/16', from: 1024, to: 65535 },
      ]);
      expect(of('data', true).map((rule) => rule.cidr)).toEqual(['10.10.0.0/16', '10.10.0.0/18']);
    });

    it('admits only the VPC in the transit subnets when nothing is routed across the gateway', () => {
      expect(of('transit', false)).toEqual([{ name: 'nacls_transit_in_vpc', number: 100, protocol: '-1', cidr: '10.10.0.0/16', from: 0, to: 0 }]);
      expect(of('transit', true)).toEqual([{ name: 'nacls_transit_out_vpc', number: 100, protocol: '-1', cidr: '10.10.0.0/16', from: 0, to: 0 }]);
    });

    it('admits no internet range on the remote-administration ports in any tier', () => {
      for (const tier of ['public', 'app', 'data', 'transit']) {
        for (const rule of of(tier, false).filter((candidate) => candidate.cidr === '0.0.0.0/0')) {
          for (const port of [22, 3389]) expect([tier, rule.name, rule.from <= port && port <= rule.to]).toEqual([tier, rule.name, false]);
        }
      }
    });

    it('leaves a gap of at least NACL_RULE_STEP between consecutive rule numbers', () => {
      for (const tier of ['public', 'app', 'data']) {
        for (const egress of [false, true]) {
          const numbers = of(tier, egress).map((rule) => rule.number);
          numbers.slice(1).forEach((number, index) => expect(number - numbers[index]).toBeGreaterThanOrEqual(NACL_RULE_STEP));
        }
      }
    });

    it('associates each subnet with its tier ACL, keyed by zone', () => {
      const associations = resourcesOf(json, 'aws_network_acl_association');
      expect(Object.keys(associations)).toHaveLength(12);
      expect(associations.nacls_data_eu_west_1c).toEqual(
        expect.objectContaining({ network_acl_id: '${aws_network_acl.nacls_data.id}', subnet_id: '${aws_subnet.vpc_data_eu_west_1c.id}' }),
      );
    });
  });

  describe('with several ALB ranges and ports', () => {
    const { of } = naclRules({ albIngressCidrs: ['198.51.100.0/24', '203.0.113.0/24'], servicePorts: [8080, 9090], databasePorts: [5432, 6379] });

    it('numbers the entries of a block NACL_RULE_STEP apart, keyed by range or port', () => {
      expect(of('public', false).map((rule) => [rule.name, rule.number])).toEqual([
        ['nacls_public_in_https_198_51_100_0_24', 100],
        ['nacls_public_in_https_203_0_113_0_24', 110],
        ['nacls_public_in_http_198_51_100_0_24', 200],
        ['nacls_public_in_http_203_0_113_0_24', 210],
        ['nacls_public_in_nat_https_from_vpc', 500],
        ['nacls_public_in_ephemeral_1024_3388', 900],
        ['nacls_public_in_ephemeral_3390_65535', 910],
      ]);
      expect(of('data', false).map((rule) => [rule.number, rule.from])).toEqual([
        [400, 5432],
        [410, 6379],
        [900, 1024],
      ]);
      expect(of('app', false).map((rule) => rule.number)).toEqual([300, 310, 500, 900, 910]);
    });
  });

  describe('with cross-VPC ranges from the segment table', () => {
    const shared = { name: 'shared', cidr: '10.0.0.0/16' };
    const onPremises = { name: 'on_premises_192_168_0_0_16', cidr: '192.168.0.0/16' };
    const { json, of } = naclRules({ crossVpcInbound: [shared], crossVpcRanges: [onPremises, shared] });
    const actionOf = (name: string) => resourcesOf(json, 'aws_network_acl_rule')[name].rule_action;

    it('admits the cross-VPC service port to the app tier from the ranges that reach it, and nothing else new', () => {
      expect(of('app', false).filter((rule) => rule.number >= 600 && rule.number < 700)).toEqual([
        { name: 'nacls_app_in_cross_vpc_shared_443', number: 600, protocol: 'tcp', cidr: '10.0.0.0/16', from: 443, to: 443 },
      ]);
    });

    it('denies every cross-VPC range in the public tier before any allow', () => {
      expect(of('public', false).slice(0, 2)).toEqual([
        { name: 'nacls_public_in_deny_on_premises_192_168_0_0_16', number: 10, protocol: '-1', cidr: '192.168.0.0/16', from: 0, to: 0 },
        { name: 'nacls_public_in_deny_shared', number: 20, protocol: '-1', cidr: '10.0.0.0/16', from: 0, to: 0 },
      ]);
      expect(actionOf('nacls_public_in_deny_shared')).toBe('deny');
    });

    it('admits in the transit subnets only the VPC and the routed ranges, both ways', () => {
      for (const egress of [false, true]) {
        expect(of('transit', egress).map((rule) => [rule.number, rule.cidr])).toEqual([
          [100, '10.10.0.0/16'],
          [110, '192.168.0.0/16'],
          [120, '10.0.0.0/16'],
        ]);
      }
      expect(actionOf('nacls_transit_in_shared')).toBe('allow');
    });
  });

  describe('with more routed environments than one block of rule numbers holds', () => {
    // Twelve workload VPCs 10.101-10.112 reaching the shared VPC: one entry each would need 12 of 10 slots.
    const spokes = Array.from({ length: 12 }, (_, index) => ({ name: `gen_${101 + index}`, cidr: `10.${101 + index}.0.0/16` }));
    const { of } = naclRules({ crossVpcInbound: spokes, crossVpcRanges: spokes });

    it('admits exactly the same addresses through summarized entries named by their range', () => {
      expect(of('app', false).filter((rule) => rule.number >= 600 && rule.number < 700).map((rule) => [rule.name, rule.cidr])).toEqual([
        ['nacls_app_in_cross_vpc_summary_10_101_0_0_16_443', '10.101.0.0/16'],
        ['nacls_app_in_cross_vpc_summary_10_102_0_0_15_443', '10.102.0.0/15'],
        ['nacls_app_in_cross_vpc_summary_10_104_0_0_13_443', '10.104.0.0/13'],
        ['nacls_app_in_cross_vpc_summary_10_112_0_0_16_443', '10.112.0.0/16'],
      ]);
      expect(of('transit', false).map((rule) => rule.cidr)).toEqual(['10.10.0.0/16', '10.101.0.0/16', '10.102.0.0/15', '10.104.0.0/13', '10.112.0.0/16']);
    });
  });

  describe('misuse', () => {
    it.each([
      [{ servicePorts: [] }, /servicePorts must list 1 to 10 entries.*got 0/],
      [{ databasePorts: Array.from({ length: 11 }, (_, i) => 5000 + i) }, /databasePorts must list 1 to 10 entries.*got 11/],
      [{ servicePorts: [0] }, /servicePorts holds invalid entries \[0\]/],
      [{ albIngressCidrs: ['10.0.0.1/16'] }, /albIngressCidrs holds invalid entries/],
      [{ servicePorts: [8080, 8080] }, /servicePorts lists \[8080\] twice/],
    ])('rejects %j', (props, message) => {
      expect(() => naclRules(props)).toThrow(message);
    });
  });
});
