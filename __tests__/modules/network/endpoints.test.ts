import { BaselineSecurityGroups } from '../../../modules/network/security-groups';
import { VpcEndpoints } from '../../../modules/network/endpoints';
import { DEFAULT_INTERFACE_ENDPOINTS } from '../../../modules/network/defaults';
import type { NatMode } from '../../../modules/network/config-schema';
import { resourcesOf, synthJson, vpcStack, ZONES_3 } from './helpers';

function endpoints(interfaceEndpoints?: readonly string[], natMode: NatMode = 'per-az') {
  const { stack, vpc } = vpcStack({ availabilityZones: ZONES_3, natMode });
  const groups = new BaselineSecurityGroups(stack, 'security_groups', { vpc });
  new VpcEndpoints(stack, 'endpoints', { vpc, region: 'eu-west-1', securityGroup: groups.groups.endpoints, interfaceEndpoints });
  const json = synthJson(stack);
  return {
    endpoints: resourcesOf(json, 'aws_vpc_endpoint'),
    tables: resourcesOf(json, 'aws_vpc_endpoint_route_table_association'),
    subnets: resourcesOf(json, 'aws_vpc_endpoint_subnet_association'),
  };
}

describe('VpcEndpoints', () => {
  describe('with the default list', () => {
    const { endpoints: all, tables, subnets } = endpoints();
    const interfaces = Object.values(all).filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface');

    it('creates the default interface endpoints', () => {
      expect(interfaces.map((endpoint) => endpoint.service_name).sort()).toEqual(
        DEFAULT_INTERFACE_ENDPOINTS.map((service) => `com.amazonaws.eu-west-1.${service}`).sort(),
      );
      expect(DEFAULT_INTERFACE_ENDPOINTS).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sts', 'kms', 'ssm']);
    });

    it('gives every interface endpoint private DNS and the endpoints group', () => {
      for (const endpoint of interfaces) {
        expect(endpoint.private_dns_enabled).toBe(true);
        expect(endpoint.security_group_ids).toEqual(['${aws_security_group.security_groups_endpoints.id}']);
        expect(endpoint.subnet_ids).toBeUndefined();
      }
    });

    it('places every interface endpoint in each app subnet, keyed by zone', () => {
      expect(Object.keys(subnets)).toHaveLength(DEFAULT_INTERFACE_ENDPOINTS.length * 3);
      expect(subnets.endpoints_ecr_api_eu_west_1b).toEqual(
        expect.objectContaining({ vpc_endpoint_id: '${aws_vpc_endpoint.endpoints_ecr_api.id}', subnet_id: '${aws_subnet.vpc_app_eu_west_1b.id}' }),
      );
      expect(Object.values(subnets).every((association) => /vpc_app_/.test(association.subnet_id))).toBe(true);
    });

    it('puts the S3 and DynamoDB gateway endpoints on every private route table, none on public or transit', () => {
      expect(all.endpoints_s3).toEqual(expect.objectContaining({ service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway' }));
      expect(all.endpoints_dynamodb).toEqual(expect.objectContaining({ service_name: 'com.amazonaws.eu-west-1.dynamodb', vpc_endpoint_type: 'Gateway' }));
      const s3Tables = Object.values(tables)
        .filter((association) => association.vpc_endpoint_id === '${aws_vpc_endpoint.endpoints_s3.id}')
        .map((association) => association.route_table_id)
        .sort();
      expect(s3Tables).toEqual([
        '${aws_route_table.vpc_routes_app_eu_west_1a.id}',
        '${aws_route_table.vpc_routes_app_eu_west_1b.id}',
        '${aws_route_table.vpc_routes_app_eu_west_1c.id}',
        '${aws_route_table.vpc_routes_data.id}',
      ]);
    });
  });

  describe.each([
    [['ecr.api', 'ecr.dkr', 'logs'], ['ecr_api', 'ecr_dkr', 'logs']],
    [['execute-api'], ['execute_api']],
    [[], []],
  ])('with the list %j', (list, keys) => {
    const { endpoints: all } = endpoints(list, 'none');

    it(`creates interface endpoints ${keys.join(', ') || '(none)'} besides the gateway endpoints`, () => {
      expect(Object.keys(all).sort()).toEqual([...keys.map((key) => `endpoints_${key}`), 'endpoints_dynamodb', 'endpoints_s3'].sort());
    });
  });

  describe('misuse', () => {
    it.each([
      [['ECR.API'], /must be service short names such as ecr.api; got \["ECR.API"\]/],
      [['logs', 'logs'], /lists logs twice/],
      [['s3'], /lists s3, which are always gateway endpoints/],
    ])('rejects %j', (list, message) => {
      expect(() => endpoints(list)).toThrow(message);
    });
  });
});
