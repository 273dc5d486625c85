import { Testing } from 'cdktf';
import { shippedPlatform, resourcesOf } from '../helpers/platform';
import { NetworkHubStack } from '../../stacks/network-hub-stack';

describe('NetworkHubStack', () => {
  const platform = shippedPlatform();
  const stack = new NetworkHubStack(Testing.app(), { platform });
  const json = JSON.parse(Testing.synth(stack));

  it('is shared-network-hub in the network account', () => {
    expect(stack.node.id).toBe('shared-network-hub');
    expect(json.provider.aws[0].allowed_account_ids).toEqual([platform.shared.accountId]);
  });

  it('takes ASN and auto-accept from the organization config', () => {
    expect(resourcesOf(json, 'aws_ec2_transit_gateway').transit_gateway).toEqual(
      expect.objectContaining({ amazon_side_asn: 64512, auto_accept_shared_attachments: 'disable' }),
    );
  });

  it('shares the gateway with every workload account and not with its own', () => {
    expect(Object.values(resourcesOf(json, 'aws_ram_principal_association')).map((association: any) => association.principal).sort()).toEqual([
      '510987654321',
      '610987654321',
      '710987654321',
    ]);
  });

  it('routes the on-premises range from the configured segments (shared, prod) only', () => {
    expect(Object.keys(resourcesOf(json, 'aws_ec2_transit_gateway_route')).sort()).toEqual([
      'transit_gateway_prod_to_on_premises_192_168_0_0_16',
      'transit_gateway_shared_to_on_premises_192_168_0_0_16',
    ]);
    expect(stack.onPremisesRouteTableId).toBeDefined();
  });

  it('exports the gateway and a route table per segment', () => {
    expect(Object.keys(stack.exports.routeTableIds).sort()).toEqual(['nonprod', 'prod', 'shared']);
  });

  it('creates, per spoke environment, an apply and a read-only attachment role trusting only its CI roles', () => {
    const roles = Object.values(resourcesOf(json, 'aws_iam_role')) as any[];
    expect(roles.map((role) => role.name).sort()).toEqual([
      'platform-network-attach-dev',
      'platform-network-attach-dev-read',
      'platform-network-attach-prod',
      'platform-network-attach-prod-read',
      'platform-network-attach-staging',
      'platform-network-attach-staging-read',
    ]);
    const trust = JSON.parse(roles.find((role) => role.name === 'platform-network-attach-prod-read').assume_role_policy).Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { AWS: 'arn:aws:iam::410987654321:root' },
        Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::410987654321:role/ci-plan-prod' } },
      }),
    ]);
    expect(Object.keys(stack.spokeRoles).sort()).toEqual(['dev', 'prod', 'staging']);
  });

  it('logs Transit Gateway traffic to the archive', () => {
    expect(resourcesOf(json, 'aws_flow_log').transit_gateway_flow_logs.log_destination).toBe('arn:aws:s3:::acme-log-archive-310987654321/tgw-flow-logs');
  });
});
