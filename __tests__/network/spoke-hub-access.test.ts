/**
 * A spoke network stack (an environment in another account than the network hub) finishes its
 * Transit Gateway attachment in the hub account through its `network_hub` provider. Proven over
 * the synthesized JSON of every stack with a real IAM evaluator:
 *
 * - apply: the environment's CI apply role (identity policy from shared-bootstrap) may assume the
 *   role the provider names (trust policy from shared-network-hub), and that role may do exactly
 *   what the spoke's hub-side resources do: accept, tag as its own, associate with and propagate
 *   into the route tables the spoke stack names, and nothing on other spokes' attachments or
 *   other route tables;
 * - plan: after the plan tooling's read-only swap (tools/plan `readOnlyConfig`), the environment's
 *   CI plan role may assume the role the provider then names, which only reads;
 * - no environment's CI role reaches another environment's hub role or the hub's deploy role.
 */
import { readOnlyConfig } from '../../tools/plan/plan-config';
import { deployRoleToPlanRole } from '../../tools/plan/stack-catalog';
import { ciRoleName } from '../../stacks/bootstrap-stack';
import { NETWORK_HUB_PROVIDER_ALIAS } from '../../stacks/network-stack';
import { roleArn } from '../../modules/core/shared-names';
import { HUB_ATTACHMENT_READ_ACTIONS } from '../../modules/network/spoke-attachment-roles';
import { decide } from '../helpers/access';
import { policyJson, SynthesizedPlatform, type Json } from './synthesized';

const HUB_STACK = 'shared-network-hub';
const SPOKES = ['dev', 'staging', 'prod'];

let synthesized: SynthesizedPlatform;
beforeAll(() => (synthesized = SynthesizedPlatform.synth('spoke-hub-access-')));
afterAll(() => synthesized.dispose());

const tooling = () => synthesized.platform.organization.accounts.tooling.accountId;
const hubAccount = () => synthesized.platform.shared.accountId;
const region = () => synthesized.platform.shared.region;

/** ARN a hub resource gets once created, built from its Terraform name (the JSON only holds references). */
function hubArn(address: string): string {
  const [type, name] = address.split(':')[1].split('.');
  const kind = type === 'aws_ec2_transit_gateway_route_table' ? 'transit-gateway-route-table' : undefined;
  if (!kind) throw new Error(`no ARN shape for ${address}`);
  return `arn:aws:ec2:${region()}:${hubAccount()}:${kind}/${name}`;
}

/** A policy of the hub stack with every reference replaced by the ARN of what it points at. */
function resolvedHubPolicy(text: string): Json {
  const resolved = JSON.stringify(policyJson(text)).replace(/\$\{(aws_[a-z0-9_]+)\.([a-z0-9_]+)\.arn\}/g, (_, type, name) => hubArn(`${HUB_STACK}:${type}.${name}`));
  expect(resolved).not.toMatch(/\$\{/);
  return JSON.parse(resolved);
}

function hubRoleByArn(arn: string): { trust: Json; permissions: Json[] } | undefined {
  const name = arn.split('/').pop();
  const role = synthesized.resources(HUB_STACK, 'aws_iam_role').find(([, body]) => body.name === name);
  if (!role) return undefined;
  const [address] = role;
  const roleName = address.split('.')[1];
  const permissions = synthesized
    .resources(HUB_STACK, 'aws_iam_role_policy')
    .filter(([, body]) => body.role === `\${aws_iam_role.${roleName}.name}`)
    .map(([, body]) => resolvedHubPolicy(body.policy));
  return { trust: policyJson(role[1].assume_role_policy), permissions };
}

function ciIdentityPolicy(kind: 'plan' | 'apply', env: string): Json {
  const [, policy] = synthesized.resources('shared-bootstrap', 'aws_iam_role_policy').find(([address]) => address.endsWith(`.ci_${kind}_${env}_assume`))!;
  return policyJson(policy.policy);
}

/** The role the spoke stack's hub provider assumes, as applied or after the plan tooling's read-only swap. */
function hubProviderRole(env: string, kind: 'plan' | 'apply'): string {
  const stack = `${env}-network`;
  const json = kind === 'apply' ? synthesized.stacks[stack] : readOnlyConfig(synthesized.stacks[stack] as any, deployRoleToPlanRole(synthesized.platform), stack).json;
  const provider = (json.provider as Json).aws.find((candidate: Json) => candidate.alias === NETWORK_HUB_PROVIDER_ALIAS);
  expect(provider.allowed_account_ids).toEqual([hubAccount()]);
  return [provider.assume_role].flat()[0].role_arn;
}

async function assume(kind: 'plan' | 'apply', env: string, target: string) {
  const role = hubRoleByArn(target);
  return decide({
    principal: roleArn(tooling(), ciRoleName(kind, env)),
    action: 'sts:AssumeRole',
    resource: target,
    resourceAccount: target.split(':')[4],
    identityPolicies: [ciIdentityPolicy(kind, env)],
    resourcePolicy: role?.trust ?? { Version: '2012-10-17', Statement: [] },
  });
}

/** A request of the hub role in the hub account, on a resource that may carry tags. */
function act(role: string, action: string, resource: string, context: Record<string, string | string[]> = {}) {
  return decide({
    principal: role,
    action,
    resource,
    resourceAccount: hubAccount(),
    identityPolicies: hubRoleByArn(role)!.permissions,
    context,
  });
}

const attachment = () => `arn:aws:ec2:${region()}:${hubAccount()}:transit-gateway-attachment/tgw-attach-0123456789abcdef0`;
const ownedBy = (env: string) => ({ 'aws:ResourceTag/stack': `${env}-network` });

/** Hub route tables the spoke's association and propagations name, followed through the remote state. */
function routeTablesUsedBy(env: string): { association: string; propagations: string[] } {
  const stack = `${env}-network`;
  const [[, association]] = synthesized.resources(stack, 'aws_ec2_transit_gateway_route_table_association');
  return {
    association: hubArn(synthesized.resolve(stack, association.transit_gateway_route_table_id)!),
    propagations: synthesized
      .resources(stack, 'aws_ec2_transit_gateway_route_table_propagation')
      .map(([, propagation]) => hubArn(synthesized.resolve(stack, propagation.transit_gateway_route_table_id)!)),
  };
}

const allHubRouteTables = () => synthesized.resources(HUB_STACK, 'aws_ec2_transit_gateway_route_table').map(([address]) => hubArn(address));

describe.each(SPOKES)('%s-network reaches the hub account', (env) => {
  it('through a provider that assumes a hub role made for it, not the hub deploy role', () => {
    const apply = hubProviderRole(env, 'apply');
    expect(apply).toBe(`arn:aws:iam::${hubAccount()}:role/platform-network-attach-${env}`);
    expect(hubRoleByArn(apply)).toBeDefined();
  });

  it('on apply: its CI apply role may assume it', async () => {
    expect(await assume('apply', env, hubProviderRole(env, 'apply'))).toBe('Allowed');
  });

  it('on a pull-request plan: the read-only swap names a read-only hub role its CI plan role may assume', async () => {
    const plan = hubProviderRole(env, 'plan');
    expect(plan).toBe(`arn:aws:iam::${hubAccount()}:role/platform-network-attach-${env}-read`);
    expect(await assume('plan', env, plan)).toBe('Allowed');
  });

  it('and no other CI role may assume either, nor may it assume the hub deploy or plan role', async () => {
    const apply = hubProviderRole(env, 'apply');
    const plan = hubProviderRole(env, 'plan');
    expect(await assume('plan', env, apply)).not.toBe('Allowed');
    for (const other of [...SPOKES, 'shared'].filter((candidate) => candidate !== env)) {
      expect([other, await assume('apply', other, apply)]).toEqual([other, expect.not.stringMatching(/^Allowed$/)]);
      expect([other, await assume('plan', other, plan)]).toEqual([other, expect.not.stringMatching(/^Allowed$/)]);
    }
    for (const kind of ['plan', 'apply'] as const) {
      for (const hubRole of ['platform-deploy', 'platform-plan']) {
        const target = `arn:aws:iam::${hubAccount()}:role/${hubRole}`;
        expect(await assume(kind, env, target)).not.toBe('Allowed');
      }
    }
  });

  describe('the apply role does what the spoke hub-side resources do, and no more', () => {
    const role = () => hubProviderRole(env, 'apply');

    it('accepts the attachment and tags it as its own', async () => {
      expect(await act(role(), 'ec2:AcceptTransitGatewayVpcAttachment', attachment())).toBe('Allowed');
      expect(await act(role(), 'ec2:CreateTags', attachment(), { 'aws:RequestTag/stack': `${env}-network`, 'aws:TagKeys': ['stack', 'Name'] })).toBe('Allowed');
    });

    it('associates with and propagates into exactly the route tables its stack names', async () => {
      const used = routeTablesUsedBy(env);
      for (const table of allHubRouteTables()) {
        const associate = await act(role(), 'ec2:AssociateTransitGatewayRouteTable', table);
        const propagate = await act(role(), 'ec2:EnableTransitGatewayRouteTablePropagation', table);
        expect([table, associate]).toEqual([table, table === used.association ? 'Allowed' : 'ImplicitlyDenied']);
        expect([table, propagate]).toEqual([table, used.propagations.includes(table) ? 'Allowed' : 'ImplicitlyDenied']);
      }
      expect(await act(role(), 'ec2:AssociateTransitGatewayRouteTable', attachment(), ownedBy(env))).toBe('Allowed');
      expect(await act(role(), 'ec2:EnableTransitGatewayRouteTablePropagation', attachment(), ownedBy(env))).toBe('Allowed');
    });

    it("cannot touch another spoke's attachment or claim it", async () => {
      for (const other of SPOKES.filter((candidate) => candidate !== env)) {
        for (const action of ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisableTransitGatewayRouteTablePropagation', 'ec2:DeleteTransitGatewayVpcAttachment', 'ec2:DeleteTags']) {
          expect([other, action, await act(role(), action, attachment(), ownedBy(other))]).toEqual([other, action, 'ImplicitlyDenied']);
        }
        expect(await act(role(), 'ec2:CreateTags', attachment(), { ...ownedBy(other), 'aws:RequestTag/stack': `${env}-network` })).toBe('ImplicitlyDenied');
        expect(await act(role(), 'ec2:CreateTags', attachment(), { 'aws:RequestTag/stack': `${other}-network` })).toBe('ImplicitlyDenied');
      }
      expect(await act(role(), 'ec2:DeleteTags', attachment(), { ...ownedBy(env), 'aws:TagKeys': ['stack'] })).toBe('ImplicitlyDenied');
    });

    it('cannot create or change anything else in the hub account', async () => {
      const gateway = `arn:aws:ec2:${region()}:${hubAccount()}:transit-gateway/tgw-0123456789abcdef0`;
      expect(await act(role(), 'ec2:DeleteTransitGateway', gateway)).toBe('ImplicitlyDenied');
      expect(await act(role(), 'ec2:CreateTransitGatewayRoute', allHubRouteTables()[0])).toBe('ImplicitlyDenied');
      expect(await act(role(), 'iam:PassRole', `arn:aws:iam::${hubAccount()}:role/platform-deploy`)).toBe('ImplicitlyDenied');
    });
  });

  describe('the plan role only reads', () => {
    it('describes the gateway, attachments and route tables', async () => {
      for (const action of HUB_ATTACHMENT_READ_ACTIONS) expect([action, await act(hubProviderRole(env, 'plan'), action, '*')]).toEqual([action, 'Allowed']);
    });

    it('and changes nothing', async () => {
      const plan = hubProviderRole(env, 'plan');
      expect(await act(plan, 'ec2:AcceptTransitGatewayVpcAttachment', attachment())).toBe('ImplicitlyDenied');
      expect(await act(plan, 'ec2:AssociateTransitGatewayRouteTable', routeTablesUsedBy(env).association)).toBe('ImplicitlyDenied');
      expect(await act(plan, 'ec2:CreateTags', attachment(), { 'aws:RequestTag/stack': `${env}-network` })).toBe('ImplicitlyDenied');
    });
  });
});

describe('the shared VPC, in the hub account', () => {
  it('needs no hub provider: its stack uses the hub deploy role', () => {
    expect((synthesized.stacks['shared-network'].provider as Json).aws.map((provider: Json) => provider.alias)).toEqual([undefined]);
  });

  it('gets no attachment role', () => {
    expect(hubRoleByArn(`arn:aws:iam::${hubAccount()}:role/platform-network-attach-shared`)).toBeUndefined();
  });
});
