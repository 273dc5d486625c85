import { Testing } from 'cdktf';
import { newTestStack } from '../../helpers/platform';
import { TieredVpc } from '../../../modules/network/vpc';
import { TierNetworkAcls } from '../../../modules/network/nacls';
import { BaselineSecurityGroups } from '../../../modules/network/security-groups';
import { VpcEndpoints } from '../../../modules/network/endpoints';
import { VpcFlowLogs } from '../../../modules/network/flow-logs';
import { HubAttachment } from '../../../modules/network/hub-attachment';
import { NAT_MODES, type NatMode } from '../../../modules/network/config-schema';
import { resourcesOf, synthJson, vpcStack, ZONES_2, ZONES_3 } from './helpers';

describe('TieredVpc', () => {
  describe('subnets', () => {
    const json = synthJson(vpcStack({ availabilityZones: ZONES_3 }).stack);
    const subnets = resourcesOf(json, 'aws_subnet');

    it('creates one subnet per tier and zone, keyed by tier and zone name', () => {
      expect(Object.keys(subnets).sort()).toEqual(
        ['app', 'data', 'public', 'transit'].flatMap((tier) => ZONES_3.map((zone) => `vpc_${tier}_${zone.replace(/-/g, '_')}`)).sort(),
      );
    });

    it('writes the concrete CIDRs of the layout', () => {
      expect(subnets.vpc_public_eu_west_1b).toMatchObject({ cidr_block: '10.10.136.0/21', availability_zone: 'eu-west-1b', map_public_ip_on_launch: false });
      expect(subnets.vpc_transit_eu_west_1c).toMatchObject({ cidr_block: '10.10.192.32/28' });
    });

    it('adopts the default security group with no rules', () => {
      const group = resourcesOf(json, 'aws_default_security_group').vpc_default_security_group;
      expect(group.vpc_id).toBe('${aws_vpc.vpc.id}');
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
    });
  });

  describe.each<[NatMode, string[], string[]]>([
    ['none', [], ['vpc_routes_app', 'vpc_routes_data', 'vpc_routes_public', 'vpc_routes_transit']],
    ['single', ['vpc_nat_eu_west_1a'], ['vpc_routes_app', 'vpc_routes_data', 'vpc_routes_public', 'vpc_routes_transit']],
    [
      'per-az',
      ['vpc_nat_eu_west_1a', 'vpc_nat_eu_west_1b', 'vpc_nat_eu_west_1c'],
      ['vpc_routes_app_eu_west_1a', 'vpc_routes_app_eu_west_1b', 'vpc_routes_app_eu_west_1c', 'vpc_routes_data', 'vpc_routes_public', 'vpc_routes_transit'],
    ],
  ])('NAT mode %s', (natMode, nats, tables) => {
    const json = synthJson(vpcStack({ availabilityZones: ZONES_3, natMode }).stack);
    const routes = resourcesOf(json, 'aws_route');

    it(`creates NAT gateways ${nats.join(', ') || '(none)'} in their public subnets`, () => {
      const gateways = resourcesOf(json, 'aws_nat_gateway');
      expect(Object.keys(gateways).sort()).toEqual(nats);
      for (const [name, nat] of Object.entries(gateways)) {
        const zone = name.replace('vpc_nat_', '');
        expect(nat.subnet_id).toBe(`\${aws_subnet.vpc_public_${zone}.id}`);
        expect(nat.allocation_id).toBe(`\${aws_eip.vpc_nat_${zone}_ip.allocation_id}`);
      }
    });

    it('creates a route table per tier, per zone for app when NAT is per zone', () => {
      expect(Object.keys(resourcesOf(json, 'aws_route_table')).sort()).toEqual(tables);
    });

    it('routes the public tier to the internet gateway', () => {
      expect(routes.vpc_routes_public_internet).toMatchObject({ destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.vpc_internet_gateway.id}' });
    });

    it('routes the app tier to its NAT gateway only when there is one', () => {
      const appDefaults = Object.entries(routes).filter(([name]) => name.startsWith('vpc_routes_app') && name.endsWith('_nat'));
      expect(appDefaults).toHaveLength(nats.length);
      for (const [name, route] of appDefaults) {
        const zone = natMode === 'per-az' ? name.replace('vpc_routes_app_', '').replace('_nat', '') : 'eu_west_1a';
        expect(route.nat_gateway_id).toBe(`\${aws_nat_gateway.vpc_nat_${zone}.id}`);
      }
    });

    it('gives data and transit route tables no route at all', () => {
      const offending = Object.values(routes).filter((route: any) => /routes_(data|transit)\./.test(route.route_table_id));
      expect(offending).toEqual([]);
    });

    it('associates every app subnet with the app table of its zone (or the shared one)', () => {
      const associations = resourcesOf(json, 'aws_route_table_association');
      for (const zone of ['eu_west_1a', 'eu_west_1b', 'eu_west_1c']) {
        const expected = natMode === 'per-az' ? `vpc_routes_app_${zone}` : 'vpc_routes_app';
        expect(associations[`vpc_app_${zone}_routes`].route_table_id).toBe(`\${aws_route_table.${expected}.id}`);
        expect(associations[`vpc_data_${zone}_routes`].route_table_id).toBe('${aws_route_table.vpc_routes_data.id}');
      }
    });
  });

  describe('misuse', () => {
    it.each([
      [{ natMode: 'two' as NatMode }, /natMode must be one of none, single, per-az; got "two"/],
      [{ availabilityZones: [] }, /availabilityZones must list at least one zone/],
      [{ cidrBlock: '10.0.0.0/24' }, /cidrBlock 10.0.0.0\/24 .* cannot be laid out: .*too small/],
      [{ availabilityZones: ['eu-west-1a', 'eu-west-1a'] }, /listed twice/],
    ])('rejects %j', (props, message) => {
      expect(() => vpcStack(props)).toThrow(message);
    });

    it('rejects two destinations of the same name', () => {
      const { vpc } = vpcStack();
      expect(() => vpc.addTransitGatewayRoutes('tgw-1', [{ name: 'shared', cidr: '10.0.0.0/16' }, { name: 'shared', cidr: '10.1.0.0/16' }], [])).toThrow(
        /distinct names; shared appears twice/,
      );
    });
  });
});

describe('adding a zone', () => {
  /** Every network construct of an environment, with the given zones. */
  function network(zones: readonly string[], natMode: NatMode): Record<string, Record<string, unknown>> {
    const stack = newTestStack('dev', 'test');
    const vpc = new TieredVpc(stack, 'vpc', { name: 'dev', cidrBlock: '10.10.0.0/16', availabilityZones: zones, natMode });
    new TierNetworkAcls(stack, 'nacls', { vpc });
    const groups = new BaselineSecurityGroups(stack, 'security_groups', { vpc });
    new VpcEndpoints(stack, 'endpoints', { vpc, region: 'eu-west-1', securityGroup: groups.groups.endpoints });
    new VpcFlowLogs(stack, 'flow_logs', {
      vpc,
      environment: 'dev',
      region: 'eu-west-1',
      accountId: '510987654321',
      archiveBucketName: 'archive',
      archivePrefix: 'vpc-flow-logs/dev',
      maxAggregationSeconds: 600,
      toCloudWatch: true,
      retentionDays: 30,
    });
    new HubAttachment(stack, 'transit_gateway_attachment', {
      vpc,
      transitGatewayId: 'tgw-0123456789abcdef0',
      associationRouteTableId: 'tgw-rtb-nonprod',
      propagationRouteTableIds: { shared: 'tgw-rtb-shared' },
      destinations: [{ name: 'shared', cidr: '10.0.0.0/16' }],
    });
    const json = JSON.parse(Testing.synth(stack));
    const flat: Record<string, Record<string, unknown>> = {};
    for (const [type, byName] of Object.entries<Record<string, Record<string, unknown>>>(json.resource)) {
      for (const [name, resource] of Object.entries(byName)) flat[`${type}.${name}`] = resource;
    }
    return flat;
  }

  describe.each(NAT_MODES)('with NAT mode %s', (natMode) => {
    const before = network(ZONES_2, natMode);
    const after = network(ZONES_3, natMode);
    const attachment = 'aws_ec2_transit_gateway_vpc_attachment.transit_gateway_attachment';

    it('keeps the Terraform address and attributes of every existing resource', () => {
      const changed = Object.keys(before).filter((address) => address !== attachment && JSON.stringify(before[address]) !== JSON.stringify(after[address]));
      expect(changed).toEqual([]);
    });

    it('only adds resources for the new zone (and no other)', () => {
      const added = Object.keys(after).filter((address) => !(address in before));
      expect(added.length).toBeGreaterThan(0);
      expect(added.filter((address) => !address.includes('eu_west_1c'))).toEqual([]);
    });

    it('adds the new transit subnet to the attachment in place, changing nothing else of it', () => {
      const { subnet_ids: oldSubnets, ...oldRest } = before[attachment] as { subnet_ids: string[] };
      const { subnet_ids: newSubnets, ...newRest } = after[attachment] as { subnet_ids: string[] };
      expect(newRest).toEqual(oldRest);
      expect(newSubnets).toEqual([...oldSubnets, '${aws_subnet.vpc_transit_eu_west_1c.id}']);
    });
  });
});
