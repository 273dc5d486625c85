/**
 * Reachability across the Transit Gateway, read from the synthesized JSON of every stack (a fresh
 * synth into a temporary directory): VPC route tables -> attachment -> its association, then
 * the propagations and static routes of the hub route table it is associated with, and back.
 *
 * The expected matrix is written out here, not derived from the module: prod <-> shared,
 * nonprod <-> shared, prod X nonprod, dev X staging; on-premises only from the segments the
 * organization config names. Data subnets never route to an internet or NAT gateway.
 *
 * Per flow, both directions, the network ACLs (first matching rule by number, stateless: the
 * return traffic on the ephemeral port too, through the source tier, both transit subnets and the
 * destination tier) and the security groups (stateful: egress of the source group, ingress of
 * the destination group) are read from the same JSON: a flow the routes carry is admitted
 * (app -> app on 443 across the gateway), and one they do not, or one on another port or tier, is
 * dropped by at least one layer.
 */
import { cidrsOverlap, mustParseIpv4Cidr } from '../../modules/core/cidr';
import type { Platform } from '../../environments/load';
import { SynthesizedPlatform, type Json } from './synthesized';

const HUB_STACK = 'shared-network-hub';
const TGW = `${HUB_STACK}:aws_ec2_transit_gateway.transit_gateway`;

/** Where a packet ends: a VPC (by environment), on-premises, or dropped with a reason. */
type Arrival = { readonly vpc: string } | { readonly onPremises: true } | { readonly dropped: string };

let synthesized: SynthesizedPlatform;
let platform: Platform;
let stacks: Record<string, Json>;

beforeAll(() => {
  synthesized = SynthesizedPlatform.synth('reachability-');
  platform = synthesized.platform;
  stacks = synthesized.stacks;
});

afterAll(() => synthesized.dispose());

/** `stack:type.name` of the resource a value points at, following cross-stack outputs. */
const resolve = (stack: string, value: unknown) => synthesized.resolve(stack, value);
const resources = (stack: string, type: string) => synthesized.resources(stack, type);

function networkStack(env: string): string {
  return `${env}-network`;
}

/** The attachment of an environment's VPC, as the hub-side resources name it (accepter or attachment). */
function attachmentIdsOf(env: string): string[] {
  const stack = networkStack(env);
  return [...resources(stack, 'aws_ec2_transit_gateway_vpc_attachment'), ...resources(stack, 'aws_ec2_transit_gateway_vpc_attachment_accepter')].map(([address]) => address);
}

function environmentOfAttachment(address: string): string | undefined {
  return platform.environments.find((env) => attachmentIdsOf(env.name).includes(address))?.name;
}

function vpcCidrOf(env: string): string {
  return stacks[networkStack(env)].resource.aws_vpc.vpc.cidr_block;
}

/** Hub route table an environment's attachment is associated with. */
function associationOf(env: string): string {
  const stack = networkStack(env);
  const associations = resources(stack, 'aws_ec2_transit_gateway_route_table_association');
  expect(associations).toHaveLength(1);
  const [, association] = associations[0];
  expect(attachmentIdsOf(env)).toContain(resolve(stack, association.transit_gateway_attachment_id));
  return resolve(stack, association.transit_gateway_route_table_id)!;
}

/** Routes of a hub route table: propagated VPC ranges and static routes. */
function hubRoutes(routeTable: string): { cidr: string; arrival: Arrival }[] {
  const routes: { cidr: string; arrival: Arrival }[] = [];
  for (const env of platform.environments) {
    const stack = networkStack(env.name);
    for (const [, propagation] of resources(stack, 'aws_ec2_transit_gateway_route_table_propagation')) {
      if (resolve(stack, propagation.transit_gateway_route_table_id) !== routeTable) continue;
      const from = environmentOfAttachment(resolve(stack, propagation.transit_gateway_attachment_id)!);
      expect(from).toBe(env.name);
      routes.push({ cidr: vpcCidrOf(env.name), arrival: { vpc: env.name } });
    }
  }
  for (const [, route] of resources(HUB_STACK, 'aws_ec2_transit_gateway_route')) {
    if (resolve(HUB_STACK, route.transit_gateway_route_table_id) !== routeTable) continue;
    const onPremises = platform.organization.transitGateway.onPremises?.cidrs ?? [];
    // The on-premises attachment is a placeholder (blackhole) until a VPN or Direct Connect exists.
    const toOnPremises = onPremises.some((cidr) => cidrsOverlap(cidr, route.destination_cidr_block));
    routes.push({ cidr: route.destination_cidr_block, arrival: toOnPremises ? { onPremises: true } : { dropped: 'static route to elsewhere' } });
  }
  return routes;
}

function longestMatch<T extends { cidr: string }>(routes: readonly T[], destination: string): T | undefined {
  const dest = mustParseIpv4Cidr(destination);
  return routes
    .filter((route) => {
      const net = mustParseIpv4Cidr(route.cidr);
      return net.prefix <= dest.prefix && cidrsOverlap(route.cidr, destination);
    })
    .sort((a, b) => mustParseIpv4Cidr(b.cidr).prefix - mustParseIpv4Cidr(a.cidr).prefix)[0];
}

/** Route tables of the subnets of one tier of an environment's VPC. */
function subnetRouteTables(env: string, tier: string): string[] {
  const stack = networkStack(env);
  const subnets = resources(stack, 'aws_subnet').filter(([, subnet]) => subnet.tags?.tier === tier).map(([address]) => address);
  expect(subnets.length).toBeGreaterThan(0);
  return subnets.map((subnet) => {
    const associations = resources(stack, 'aws_route_table_association').filter(([, association]) => resolve(stack, association.subnet_id) === subnet);
    expect(associations).toHaveLength(1);
    return resolve(stack, associations[0][1].route_table_id)!;
  });
}

function vpcRoutes(env: string, routeTable: string): { cidr: string; body: Json }[] {
  const stack = networkStack(env);
  return resources(stack, 'aws_route')
    .filter(([, route]) => resolve(stack, route.route_table_id) === routeTable)
    .map(([, route]) => ({ cidr: route.destination_cidr_block, body: route }));
}

/** Where a packet from a tier of `env` to `destination` ends. */
function send(env: string, tier: string, destination: string): Arrival[] {
  const stack = networkStack(env);
  return subnetRouteTables(env, tier).map((table): Arrival => {
    if (cidrsOverlap(destination, vpcCidrOf(env))) return { vpc: env };
    const route = longestMatch(vpcRoutes(env, table), destination);
    if (!route) return { dropped: `${table} has no route` };
    if (resolve(stack, route.body.transit_gateway_id) !== TGW) return { dropped: `${table} routes it elsewhere` };
    const hubRoute = longestMatch(hubRoutes(associationOf(env)), destination);
    return hubRoute?.arrival ?? { dropped: `hub route table ${associationOf(env)} has no route` };
  });
}

const TIERS = ['public', 'app', 'data'];

function vpcReaches(from: string, to: string): boolean {
  return TIERS.every((tier) => send(from, tier, vpcCidrOf(to)).every((arrival) => 'vpc' in arrival && arrival.vpc === to));
}

function vpcBlocked(from: string, to: string): boolean {
  return TIERS.every((tier) => send(from, tier, vpcCidrOf(to)).every((arrival) => 'dropped' in arrival));
}

describe('Transit Gateway reachability (synthesized JSON of every stack)', () => {
  it('synthesizes a network stack per environment and the hub', () => {
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining([HUB_STACK, 'dev-network', 'staging-network', 'prod-network', 'shared-network']));
    for (const env of platform.environments) {
      const [, attachment] = resources(networkStack(env.name), 'aws_ec2_transit_gateway_vpc_attachment')[0];
      expect(resolve(networkStack(env.name), attachment.transit_gateway_id)).toBe(TGW);
    }
  });

  it('associates each attachment with its segment route table', () => {
    expect(Object.fromEntries(platform.environments.map((env) => [env.name, associationOf(env.name)]))).toEqual({
      dev: `${HUB_STACK}:aws_ec2_transit_gateway_route_table.transit_gateway_nonprod`,
      staging: `${HUB_STACK}:aws_ec2_transit_gateway_route_table.transit_gateway_nonprod`,
      prod: `${HUB_STACK}:aws_ec2_transit_gateway_route_table.transit_gateway_prod`,
      shared: `${HUB_STACK}:aws_ec2_transit_gateway_route_table.transit_gateway_shared`,
    });
  });

  describe.each([
    ['prod', 'shared'],
    ['dev', 'shared'],
    ['staging', 'shared'],
  ])('%s <-> %s', (a, b) => {
    it(`${a} reaches ${b}`, () => expect(vpcReaches(a, b)).toBe(true));
    it(`${b} reaches ${a}`, () => expect(vpcReaches(b, a)).toBe(true));
  });

  describe.each([
    ['prod', 'dev'],
    ['prod', 'staging'],
    ['dev', 'staging'],
  ])('%s X %s', (a, b) => {
    it(`${a} cannot reach ${b}`, () => expect(vpcBlocked(a, b)).toBe(true));
    it(`${b} cannot reach ${a}`, () => expect(vpcBlocked(b, a)).toBe(true));
    it('and the hub drops it too, whatever the VPC route tables say', () => {
      for (const [from, to] of [[a, b], [b, a]]) {
        const route = longestMatch(hubRoutes(associationOf(from)), vpcCidrOf(to));
        expect(route === undefined || 'dropped' in route.arrival).toBe(true);
      }
    });
  });

  describe('on-premises', () => {
    const envs = ['dev', 'staging', 'prod', 'shared'];

    it.each(envs)('%s reaches on-premises only when its segment is configured, both ways', (env) => {
      const onPremises = platform.organization.transitGateway.onPremises!;
      const segment = platform.environment(env).segment;
      const configured = onPremises.reachableFrom.includes(segment);
      for (const cidr of onPremises.cidrs) {
        const arrivals = TIERS.flatMap((tier) => send(env, tier, cidr));
        expect(arrivals.every((arrival) => (configured ? 'onPremises' in arrival : 'dropped' in arrival))).toBe(true);
      }
      // Return path: the on-premises route table knows the VPC range only for configured segments.
      const onPremisesTable = `${HUB_STACK}:aws_ec2_transit_gateway_route_table.transit_gateway_on_premises`;
      const back = hubRoutes(onPremisesTable).some((route) => 'vpc' in route.arrival && route.arrival.vpc === env);
      expect(back).toBe(configured);
    });

    it('is configured for shared and prod in the shipped config (so both cases above are exercised)', () => {
      expect([...platform.organization.transitGateway.onPremises!.reachableFrom].sort()).toEqual(['prod', 'shared']);
    });
  });

  describe('data subnets', () => {
    it.each(['dev', 'staging', 'prod', 'shared'])('%s: no route to an internet gateway, a NAT gateway or the whole internet', (env) => {
      for (const table of subnetRouteTables(env, 'data')) {
        for (const route of vpcRoutes(env, table)) {
          expect(route.body.nat_gateway_id).toBeUndefined();
          expect(String(route.body.gateway_id ?? '')).not.toMatch(/aws_internet_gateway/);
          expect(route.body.egress_only_gateway_id).toBeUndefined();
          expect(route.cidr).not.toBe('0.0.0.0/0');
        }
      }
    });

    it('would notice a data route to the internet (the check can fail)', () => {
      const stack = networkStack('dev');
      const [table] = subnetRouteTables('dev', 'data');
      const name = table.split('.')[1];
      stacks[stack].resource.aws_route.injected = { route_table_id: `\${aws_route_table.${name}.id}`, destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.vpc_internet_gateway.id}' };
      try {
        expect(vpcRoutes('dev', table).some((route) => String(route.body.gateway_id).includes('aws_internet_gateway'))).toBe(true);
      } finally {
        delete stacks[stack].resource.aws_route.injected;
      }
    });
  });
});

// ---- Network ACLs and security groups, per flow ----------------------------------------------

const SERVICE_PORT = 443;
const CLIENT_PORT = 50123;

function ipInCidr(ip: string, cidr: string): boolean {
  return cidrsOverlap(`${ip}/32`, cidr);
}

/** A host address in the first subnet of a tier (`.10` of the subnet). */
function hostOf(env: string, tier: string): string {
  const [, subnet] = resources(networkStack(env), 'aws_subnet').filter(([, body]) => body.tags?.tier === tier).sort(([a], [b]) => a.localeCompare(b))[0];
  const [a, b, c, d] = subnet.cidr_block.split('/')[0].split('.').map(Number);
  return [a, b, c, d + 10].join('.');
}

/** Whether the ACL of a tier of `env` passes a TCP packet (first matching rule by number; none: denied). */
function naclPasses(env: string, tier: string, egress: boolean, peer: string, port: number): boolean {
  const stack = networkStack(env);
  const [subnet] = resources(stack, 'aws_subnet').filter(([, body]) => body.tags?.tier === tier).map(([address]) => address);
  const [[, association]] = resources(stack, 'aws_network_acl_association').filter(([, body]) => resolve(stack, body.subnet_id) === subnet);
  const acl = resolve(stack, association.network_acl_id);
  const rules = resources(stack, 'aws_network_acl_rule')
    .map(([, rule]) => rule)
    .filter((rule) => resolve(stack, rule.network_acl_id) === acl && rule.egress === egress)
    .sort((a, b) => a.rule_number - b.rule_number);
  const match = rules.find(
    (rule) => ipInCidr(peer, rule.cidr_block) && (rule.protocol === '-1' || (rule.protocol === 'tcp' && rule.from_port <= port && port <= rule.to_port)),
  );
  return match?.rule_action === 'allow';
}

/** Whether the baseline group of a tier admits a new TCP connection (ingress) or lets one out (egress). */
function securityGroupPasses(env: string, group: string, egress: boolean, peer: string, port: number): boolean {
  const stack = networkStack(env);
  const type = egress ? 'aws_vpc_security_group_egress_rule' : 'aws_vpc_security_group_ingress_rule';
  return resources(stack, type).some(
    ([, rule]) =>
      resolve(stack, rule.security_group_id) === `${stack}:aws_security_group.security_groups_${group}` &&
      rule.cidr_ipv4 !== undefined &&
      ipInCidr(peer, rule.cidr_ipv4) &&
      (rule.ip_protocol === '-1' || (rule.from_port <= port && port <= rule.to_port)),
  );
}

/** Every layer a TCP connection from one tier to another across the gateway meets, and whether it passes. */
function crossVpcLayers(from: string, fromTier: string, to: string, toTier: string, port: number): Record<string, boolean> {
  const source = hostOf(from, fromTier);
  const target = hostOf(to, toTier);
  const arrivals = send(from, fromTier, `${target}/32`);
  return {
    route: arrivals.every((arrival) => 'vpc' in arrival && arrival.vpc === to),
    'return route': send(to, toTier, `${source}/32`).every((arrival) => 'vpc' in arrival && arrival.vpc === from),
    'source NACL out': naclPasses(from, fromTier, true, target, port),
    'source transit NACL in': naclPasses(from, 'transit', false, source, port),
    'source transit NACL out': naclPasses(from, 'transit', true, target, port),
    'target transit NACL in': naclPasses(to, 'transit', false, source, port),
    'target transit NACL out': naclPasses(to, 'transit', true, target, port),
    'target NACL in': naclPasses(to, toTier, false, source, port),
    'target NACL out (reply)': naclPasses(to, toTier, true, source, CLIENT_PORT),
    'source NACL in (reply)': naclPasses(from, fromTier, false, target, CLIENT_PORT),
    'source security group out': securityGroupPasses(from, fromTier, true, target, port),
    'target security group in': securityGroupPasses(to, toTier, false, source, port),
  };
}

const everyLayer = (layers: Record<string, boolean>) => Object.fromEntries(Object.keys(layers).map((layer) => [layer, true]));

describe('network ACLs and security groups follow the segment table, per flow and both directions', () => {
  describe.each([
    ['prod', 'shared'],
    ['dev', 'shared'],
    ['staging', 'shared'],
    ['shared', 'prod'],
    ['shared', 'dev'],
    ['shared', 'staging'],
  ])('%s -> %s (routed)', (from, to) => {
    it(`admits app -> app on ${SERVICE_PORT} at every layer, the reply included`, () => {
      const layers = crossVpcLayers(from, 'app', to, 'app', SERVICE_PORT);
      expect(layers).toEqual(everyLayer(layers));
    });

    it.each([
      ['app', 22],
      ['app', 3389],
      ['app', 8080],
      ['app', 5432],
      ['data', 5432],
      ['public', 443],
    ])('drops a connection to the %s tier on %i at some layer', (toTier, port) => {
      const layers = crossVpcLayers(from, 'app', to, toTier, port);
      expect(Object.values(layers).every(Boolean)).toBe(false);
    });
  });

  describe.each([
    ['prod', 'dev'],
    ['dev', 'prod'],
    ['prod', 'staging'],
    ['staging', 'prod'],
    ['dev', 'staging'],
    ['staging', 'dev'],
  ])('%s -> %s (not routed)', (from, to) => {
    it('is dropped by the routes, and the target admits nothing from that VPC either', () => {
      const layers = crossVpcLayers(from, 'app', to, 'app', SERVICE_PORT);
      expect(layers.route).toBe(false);
      expect(layers['target security group in'] && layers['target NACL in'] && layers['target transit NACL in']).toBe(false);
    });
  });

  it('admits the on-premises range to the app tier only where the organization routes it', () => {
    const onPremises = platform.organization.transitGateway.onPremises!;
    const host = onPremises.cidrs[0].replace(/\.0\/\d+$/, '.10');
    for (const env of ['dev', 'staging', 'prod', 'shared']) {
      const routed = onPremises.reachableFrom.includes(platform.environment(env).segment);
      expect([env, securityGroupPasses(env, 'app', false, host, SERVICE_PORT), naclPasses(env, 'transit', false, host, SERVICE_PORT)]).toEqual([env, routed, routed]);
    }
  });

  it('admits the internet on no remote-administration port in any tier (CIS 5.1, checkov CKV_AWS_229-232)', () => {
    for (const env of ['dev', 'staging', 'prod', 'shared']) {
      for (const tier of ['public', 'app', 'data', 'transit']) {
        for (const port of [22, 3389]) expect([env, tier, port, naclPasses(env, tier, false, '203.0.113.10', port)]).toEqual([env, tier, port, false]);
      }
    }
  });

  it('would notice an over-broad rule (the check can fail)', () => {
    const stack = networkStack('dev');
    stacks[stack].resource.aws_vpc_security_group_ingress_rule.injected = {
      security_group_id: '${aws_security_group.security_groups_app.id}',
      cidr_ipv4: '0.0.0.0/0',
      ip_protocol: 'tcp',
      from_port: 22,
      to_port: 22,
    };
    try {
      expect(securityGroupPasses('dev', 'app', false, '10.20.0.10', 22)).toBe(true);
    } finally {
      delete stacks[stack].resource.aws_vpc_security_group_ingress_rule.injected;
    }
  });
});
