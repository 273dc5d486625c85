import { HubAttachment, type HubAttachmentProps } from '../../../modules/network/hub-attachment';
import { resourcesOf, synthJson, vpcStack } from './helpers';

function attach(props: Partial<HubAttachmentProps> & { crossAccount?: boolean } = {}) {
  const { stack, vpc } = vpcStack({ natMode: 'per-az' });
  const hubProvider = props.crossAccount ? stack.awsProvider('network_hub', { accountId: '210987654321', deployRoleArn: 'arn:aws:iam::210987654321:role/platform-deploy' }, 'eu-west-1', 'network_hub') : undefined;
  new HubAttachment(stack, 'transit_gateway_attachment', {
    vpc,
    transitGatewayId: 'tgw-0hub',
    associationRouteTableId: 'tgw-rtb-nonprod',
    propagationRouteTableIds: { shared: 'tgw-rtb-shared' },
    destinations: [
      { name: 'shared', cidr: '10.0.0.0/16' },
      { name: 'on_premises_192_168_0_0_16', cidr: '192.168.0.0/16' },
    ],
    hubProvider,
    hubOwnerTag: props.crossAccount ? { key: 'stack', value: 'dev-network' } : undefined,
    ...props,
  });
  return synthJson(stack);
}

describe('HubAttachment', () => {
  describe('cross-account, hub not auto-accepting', () => {
    const json = attach({ crossAccount: true, acceptOnHub: true });

    it('attaches through the transit subnets from the VPC account', () => {
      const attachment = resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment').transit_gateway_attachment;
      expect(attachment).toEqual(
        expect.objectContaining({
          transit_gateway_id: 'tgw-0hub',
          vpc_id: '${aws_vpc.vpc.id}',
          subnet_ids: ['${aws_subnet.vpc_transit_eu_west_1a.id}', '${aws_subnet.vpc_transit_eu_west_1b.id}'],
          dns_support: 'enable',
        }),
      );
      expect(attachment.provider).toBeUndefined();
    });

    it('accepts, associates and propagates on the hub account through the aliased provider', () => {
      const accepter = resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment_accepter').transit_gateway_attachment_accepter;
      expect(accepter.tags).toEqual({ Name: 'dev-tgw-attachment', stack: 'dev-network' });
      expect(accepter).toEqual(
        expect.objectContaining({ provider: 'aws.network_hub', transit_gateway_attachment_id: '${aws_ec2_transit_gateway_vpc_attachment.transit_gateway_attachment.id}' }),
      );
      const accepted = '${aws_ec2_transit_gateway_vpc_attachment_accepter.transit_gateway_attachment_accepter.id}';
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route_table_association').transit_gateway_attachment_association).toEqual(
        expect.objectContaining({ provider: 'aws.network_hub', transit_gateway_attachment_id: accepted, transit_gateway_route_table_id: 'tgw-rtb-nonprod' }),
      );
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route_table_propagation')).toEqual({
        transit_gateway_attachment_propagation_shared: expect.objectContaining({
          provider: 'aws.network_hub',
          transit_gateway_attachment_id: accepted,
          transit_gateway_route_table_id: 'tgw-rtb-shared',
        }),
      });
    });

    it('sets the default route table flags explicitly: true on the requester side (the provider always reads true for a RAM-shared gateway), false on the accepter', () => {
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment').transit_gateway_attachment).toMatchObject({
        transit_gateway_default_route_table_association: true,
        transit_gateway_default_route_table_propagation: true,
      });
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment_accepter').transit_gateway_attachment_accepter).toMatchObject({
        transit_gateway_default_route_table_association: false,
        transit_gateway_default_route_table_propagation: false,
      });
    });

    it('routes each destination to the gateway from every public, app and data route table, after the acceptance', () => {
      const routes = Object.entries(resourcesOf(json, 'aws_route')).filter(([, route]) => route.transit_gateway_id === 'tgw-0hub');
      expect(routes.map(([name]) => name).sort()).toEqual(
        ['app_eu_west_1a', 'app_eu_west_1b', 'data', 'public']
          .flatMap((table) => [`vpc_routes_${table}_to_on_premises_192_168_0_0_16`, `vpc_routes_${table}_to_shared`])
          .sort(),
      );
      for (const [, route] of routes) expect(route.depends_on).toEqual(['aws_ec2_transit_gateway_vpc_attachment_accepter.transit_gateway_attachment_accepter']);
    });
  });

  describe('cross-account, hub auto-accepting', () => {
    const json = attach({ crossAccount: true });

    it('tags the hub side with the owner tag before associating and propagating (the hub role requires it)', () => {
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment_accepter')).toEqual({});
      expect(resourcesOf(json, 'aws_ec2_tag').transit_gateway_attachment_hub_owner_tag).toEqual(
        expect.objectContaining({ provider: 'aws.network_hub', key: 'stack', value: 'dev-network', resource_id: '${aws_ec2_transit_gateway_vpc_attachment.transit_gateway_attachment.id}' }),
      );
      const tag = ['aws_ec2_tag.transit_gateway_attachment_hub_owner_tag'];
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route_table_association').transit_gateway_attachment_association.depends_on).toEqual(tag);
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route_table_propagation').transit_gateway_attachment_propagation_shared.depends_on).toEqual(tag);
    });
  });

  describe('in the hub account', () => {
    const json = attach();

    it('sets the default route table flags to false, what AWS reads back for a gateway without default route tables', () => {
      // Unset, the schema default (true) meets the read-back false: a perpetual diff.
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment').transit_gateway_attachment).toMatchObject({
        transit_gateway_default_route_table_association: false,
        transit_gateway_default_route_table_propagation: false,
      });
    });

    it('needs no accepter and uses the default provider', () => {
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment_accepter')).toEqual({});
      const association = resourcesOf(json, 'aws_ec2_transit_gateway_route_table_association').transit_gateway_attachment_association;
      expect(association.provider).toBeUndefined();
      expect(association.transit_gateway_attachment_id).toBe('${aws_ec2_transit_gateway_vpc_attachment.transit_gateway_attachment.id}');
    });
  });

  it('rejects a hub provider without the owner tag the hub role requires', () => {
    expect(() => attach({ crossAccount: true, hubOwnerTag: undefined })).toThrow(/hubProvider needs hubOwnerTag/);
  });

  it('rejects acceptOnHub without a hub provider', () => {
    expect(() => attach({ acceptOnHub: true })).toThrow(/acceptOnHub needs hubProvider/);
  });
});

describe('HubAttachment default route table flags (PLAT-DRIFT-2)', () => {
  // aws provider 5.x reads back the real flags only for a gateway of the VPC's own account (false: the hub
  // has no default route tables); for a gateway shared through RAM it always reports true.
  const flags = (json: any) => {
    const attachment = resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment').transit_gateway_attachment;
    return [attachment.transit_gateway_default_route_table_association, attachment.transit_gateway_default_route_table_propagation];
  };

  it('are false for a VPC in the hub account', () => {
    expect(flags(attach())).toEqual([false, false]);
  });

  it('are true (what the provider reads) for a VPC attached to a gateway shared from another account', () => {
    expect(flags(attach({ crossAccount: true, acceptOnHub: true }))).toEqual([true, true]);
  });
});
