import { Testing } from 'cdktf';
import { shippedPlatform, resourcesOf } from '../helpers/platform';
import { NetworkHubStack } from '../../stacks/network-hub-stack';
import { NetworkStack } from '../../stacks/network-stack';

/** The hub and one environment's network stack in a fresh app; JSON of the network stack. */
function networkJson(environment: string): { stack: NetworkStack; json: any } {
  const platform = shippedPlatform();
  const app = Testing.app();
  const hub = new NetworkHubStack(app, { platform });
  const stack = new NetworkStack(app, { platform, environment: platform.environment(environment), hub });
  stack.prepareStack();
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

describe('NetworkStack', () => {
  describe.each([
    ['dev', 2, 1, true],
    ['staging', 2, 1, true],
    ['prod', 3, 3, true],
    ['shared', 3, 3, false],
  ])('%s', (environment, zones, nats, crossAccount) => {
    const { stack, json } = networkJson(environment);
    const env = shippedPlatform().environment(environment);

    it(`is ${environment}-network in the environment's account`, () => {
      expect(stack.node.id).toBe(`${environment}-network`);
      expect(json.terraform.backend.s3.key).toBe(`${environment}/network.tfstate`);
      expect(json.provider.aws[0].allowed_account_ids).toEqual([env.accountId]);
    });

    it(`lays out ${zones} zones with ${nats} NAT gateway(s)`, () => {
      expect(Object.keys(resourcesOf(json, 'aws_subnet'))).toHaveLength(zones * 4);
      expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(nats);
    });

    it('flows ALL traffic to its prefix of the central archive', () => {
      expect(resourcesOf(json, 'aws_flow_log').flow_logs_archive.log_destination).toBe(`arn:aws:s3:::acme-log-archive-310987654321/vpc-flow-logs/${environment}`);
    });

    it('reads the Transit Gateway and route table ids from the hub stack', () => {
      const attachment = resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment').transit_gateway_attachment;
      expect(attachment.transit_gateway_id).toMatch(/data\.terraform_remote_state\.cross_stack_reference_input_shared_network_hub\.outputs/);
      expect(json.data.terraform_remote_state.cross_stack_reference_input_shared_network_hub.config.key).toBe('shared/network-hub.tfstate');
      const association = resourcesOf(json, 'aws_ec2_transit_gateway_route_table_association').transit_gateway_attachment_association;
      expect(association.transit_gateway_route_table_id).toMatch(new RegExp(`transit_gateway_${env.segment}_id`));
    });

    it(crossAccount ? 'finishes the hub side through the network_hub provider and accepts the attachment' : 'attaches in its own account, with no second provider or accepter', () => {
      const aliases = json.provider.aws.map((provider: any) => provider.alias).filter(Boolean);
      const accepters = resourcesOf(json, 'aws_ec2_transit_gateway_vpc_attachment_accepter');
      const association = resourcesOf(json, 'aws_ec2_transit_gateway_route_table_association').transit_gateway_attachment_association;
      if (crossAccount) {
        expect(aliases).toEqual(['network_hub']);
        expect(json.provider.aws.find((provider: any) => provider.alias === 'network_hub').allowed_account_ids).toEqual(['210987654321']);
        expect(Object.keys(accepters)).toEqual(['transit_gateway_attachment_accepter']);
        expect(association.provider).toBe('aws.network_hub');
      } else {
        expect(aliases).toEqual([]);
        expect(accepters).toEqual({});
        expect(association.provider).toBeUndefined();
      }
    });

    it('exports the VPC, subnets by tier (sorted by zone) and the baseline groups', () => {
      expect(stack.exports.vpcCidr).toBe(env.vpcCidr);
      expect(stack.exports.appSubnetIds).toHaveLength(zones);
      expect(Object.keys(stack.exports.securityGroupIds).sort()).toEqual(['alb', 'app', 'data', 'endpoints']);
    });
  });
});
