import { TransitGatewayHub, type TransitGatewayHubProps } from '../../../modules/network/transit-gateway-hub';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

function hub(props: Partial<TransitGatewayHubProps> = {}) {
  const stack = newTestStack('shared', 'test');
  new TransitGatewayHub(stack, 'transit_gateway', {
    name: 'acme',
    amazonSideAsn: 64512,
    autoAcceptSharedAttachments: false,
    principals: { prod: '710987654321', dev: '510987654321' },
    archiveBucketName: 'acme-log-archive-310987654321',
    archivePrefix: 'tgw-flow-logs',
    region: 'eu-west-1',
    accountId: '210987654321',
    ...props,
  });
  return synthJson(stack);
}

describe('TransitGatewayHub', () => {
  describe('without on-premises', () => {
    const json = hub();

    it('creates one gateway with its ASN, DNS support and no default route table association or propagation', () => {
      expect(resourcesOf(json, 'aws_ec2_transit_gateway').transit_gateway).toEqual(
        expect.objectContaining({
          amazon_side_asn: 64512,
          dns_support: 'enable',
          default_route_table_association: 'disable',
          default_route_table_propagation: 'disable',
          auto_accept_shared_attachments: 'disable',
        }),
      );
    });

    it('creates a route table per segment and none for on-premises', () => {
      expect(Object.keys(resourcesOf(json, 'aws_ec2_transit_gateway_route_table')).sort()).toEqual([
        'transit_gateway_nonprod',
        'transit_gateway_prod',
        'transit_gateway_shared',
      ]);
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route')).toEqual({});
    });

    it('shares the gateway through RAM without external principals, with each account by name', () => {
      expect(resourcesOf(json, 'aws_ram_resource_share').transit_gateway_share.allow_external_principals).toBe(false);
      const shareArn = '${aws_ram_resource_share.transit_gateway_share.arn}';
      expect(resourcesOf(json, 'aws_ram_resource_association').transit_gateway_share_transit_gateway).toEqual({
        resource_share_arn: shareArn,
        resource_arn: 'arn:aws:ec2:eu-west-1:210987654321:transit-gateway/${aws_ec2_transit_gateway.transit_gateway.id}',
      });
      expect(resourcesOf(json, 'aws_ram_principal_association')).toEqual({
        transit_gateway_share_dev: { resource_share_arn: shareArn, principal: '510987654321' },
        transit_gateway_share_prod: { resource_share_arn: shareArn, principal: '710987654321' },
      });
    });

    it('logs ALL traffic to the archive at one-minute aggregation', () => {
      expect(resourcesOf(json, 'aws_flow_log').transit_gateway_flow_logs).toEqual(
        expect.objectContaining({
          transit_gateway_id: '${aws_ec2_transit_gateway.transit_gateway.id}',
          traffic_type: 'ALL',
          log_destination: 'arn:aws:s3:::acme-log-archive-310987654321/tgw-flow-logs',
          destination_options: { file_format: 'parquet', hive_compatible_partitions: true, per_hour_partition: true },
          max_aggregation_interval: 60,
        }),
      );
    });
  });

  describe('with an on-premises range reachable from prod and shared', () => {
    it.each([
      [undefined, { blackhole: true }],
      ['tgw-attach-0vpn', { transit_gateway_attachment_id: 'tgw-attach-0vpn' }],
    ])('routes it from those segments only (attachment %s)', (attachmentId, target) => {
      const json = hub({ onPremises: { cidrs: ['192.168.0.0/16'], reachableFrom: ['shared', 'prod'], attachmentId } });
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route_table').transit_gateway_on_premises).toBeDefined();
      expect(resourcesOf(json, 'aws_ec2_transit_gateway_route')).toEqual({
        transit_gateway_prod_to_on_premises_192_168_0_0_16: {
          transit_gateway_route_table_id: '${aws_ec2_transit_gateway_route_table.transit_gateway_prod.id}',
          destination_cidr_block: '192.168.0.0/16',
          ...target,
        },
        transit_gateway_shared_to_on_premises_192_168_0_0_16: {
          transit_gateway_route_table_id: '${aws_ec2_transit_gateway_route_table.transit_gateway_shared.id}',
          destination_cidr_block: '192.168.0.0/16',
          ...target,
        },
      });
    });
  });

  it('enables auto-accept when asked', () => {
    expect(resourcesOf(hub({ autoAcceptSharedAttachments: true }), 'aws_ec2_transit_gateway').transit_gateway.auto_accept_shared_attachments).toBe('enable');
  });

  describe('misuse', () => {
    it.each([
      [{ amazonSideAsn: 65535 }, /amazonSideAsn must be a private ASN from 64512 to 65534; got 65535/],
      [{ principals: { dev: '5109' } }, /principals.dev must be a 12-digit account id; got "5109"/],
      [{ onPremises: { cidrs: [], reachableFrom: [] } }, /onPremises.cidrs must list at least one range/],
      [{ onPremises: { cidrs: ['192.168.0.0/16'], reachableFrom: ['staging' as never] } }, /onPremises.reachableFrom must name segments \(prod, nonprod, shared\); got staging/],
    ])('rejects %j', (props, message) => {
      expect(() => hub(props)).toThrow(message);
    });
  });
});
