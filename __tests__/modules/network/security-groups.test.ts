import { BaselineSecurityGroups, type BaselineSecurityGroupsProps } from '../../../modules/network/security-groups';
import { resourcesOf, synthJson, vpcStack } from './helpers';

function groups(props: Partial<BaselineSecurityGroupsProps> = {}) {
  const { stack, vpc } = vpcStack();
  new BaselineSecurityGroups(stack, 'security_groups', { vpc, ...props });
  const json = synthJson(stack);
  return {
    groups: resourcesOf(json, 'aws_security_group'),
    ingress: resourcesOf(json, 'aws_vpc_security_group_ingress_rule'),
    egress: resourcesOf(json, 'aws_vpc_security_group_egress_rule'),
  };
}

const ref = (group: string) => `\${aws_security_group.security_groups_${group}.id}`;

describe('BaselineSecurityGroups', () => {
  describe('with cross-VPC ranges from the segment table', () => {
    const { ingress } = groups({ crossVpcInbound: [{ name: 'shared', cidr: '10.0.0.0/16' }] });

    it('admits the cross-VPC service port to app from each range, and adds nothing elsewhere', () => {
      expect(ingress.security_groups_app_in_cross_vpc_shared_443).toEqual(
        expect.objectContaining({ security_group_id: ref('app'), cidr_ipv4: '10.0.0.0/16', ip_protocol: 'tcp', from_port: 443, to_port: 443 }),
      );
      const crossVpc = Object.entries(ingress).filter(([, rule]: [string, any]) => rule.cidr_ipv4 === '10.0.0.0/16');
      expect(crossVpc.map(([name]) => name)).toEqual(['security_groups_app_in_cross_vpc_shared_443']);
    });
  });

  describe('with the defaults', () => {
    const { groups: sgs, ingress, egress } = groups();

    it('creates alb, app, data and endpoints groups with no inline rules', () => {
      expect(Object.keys(sgs).sort()).toEqual(['security_groups_alb', 'security_groups_app', 'security_groups_data', 'security_groups_endpoints']);
      for (const group of Object.values(sgs)) {
        expect(group.ingress).toBeUndefined();
        expect(group.egress).toBeUndefined();
        expect(group.revoke_rules_on_delete).toBe(true);
      }
    });

    it('tags the ALB group as the public ALB group (it opens 80/443 to anywhere)', () => {
      expect(sgs.security_groups_alb.tags).toEqual(expect.objectContaining({ exposure: 'public-alb' }));
      expect(sgs.security_groups_app.tags.exposure).toBeUndefined();
    });

    it('chains the groups by id: alb -> app on service ports, app -> data on database ports', () => {
      expect(ingress.security_groups_app_in_service_8080).toEqual(
        expect.objectContaining({ security_group_id: ref('app'), referenced_security_group_id: ref('alb'), from_port: 8080, to_port: 8080, ip_protocol: 'tcp' }),
      );
      expect(ingress.security_groups_data_in_database_5432).toEqual(
        expect.objectContaining({ security_group_id: ref('data'), referenced_security_group_id: ref('app'), from_port: 5432 }),
      );
      expect(egress.security_groups_alb_out_service_8080).toEqual(expect.objectContaining({ referenced_security_group_id: ref('app') }));
      expect(egress.security_groups_app_out_database_5432).toEqual(expect.objectContaining({ referenced_security_group_id: ref('data') }));
    });

    it('takes no range as a source except on the ALB and the endpoints', () => {
      const byRange = Object.entries(ingress).filter(([, rule]) => rule.cidr_ipv4 !== undefined);
      expect(byRange.map(([name, rule]) => [name, rule.cidr_ipv4])).toEqual([
        ['security_groups_alb_in_http_0_0_0_0_0', '0.0.0.0/0'],
        ['security_groups_alb_in_https_0_0_0_0_0', '0.0.0.0/0'],
        ['security_groups_endpoints_in_https', '10.10.0.0/16'],
      ]);
    });

    it('opens no rule on every port or protocol', () => {
      for (const rule of [...Object.values(ingress), ...Object.values(egress)]) {
        expect(rule.ip_protocol).toBe('tcp');
        expect(rule.from_port).toBe(rule.to_port);
      }
    });

    it('gives data and endpoints no egress', () => {
      const owners = Object.values(egress).map((rule) => rule.security_group_id);
      expect(owners).not.toContain(ref('data'));
      expect(owners).not.toContain(ref('endpoints'));
    });
  });

  describe('with the ALB restricted to a corporate range', () => {
    const { groups: sgs, ingress } = groups({ albIngressCidrs: ['198.51.100.0/24'] });

    it('opens 80/443 to that range only and does not tag the group as public', () => {
      expect(ingress.security_groups_alb_in_https_198_51_100_0_24.cidr_ipv4).toBe('198.51.100.0/24');
      expect(Object.values(ingress).map((rule) => rule.cidr_ipv4)).not.toContain('0.0.0.0/0');
      expect(sgs.security_groups_alb.tags.exposure).toBeUndefined();
    });
  });

  describe('misuse', () => {
    it.each([
      [{ albIngressCidrs: [] }, /albIngressCidrs must list at least one range; got \[\]/],
      [{ servicePorts: [] }, /servicePorts must list at least one port/],
      [{ databasePorts: [] }, /databasePorts must list at least one port/],
    ])('rejects %j', (props, message) => {
      expect(() => groups(props)).toThrow(message);
    });
  });
});
