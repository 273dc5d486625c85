/**
 * Reachability across the Transit Gateway, read from the synthesized JSON of every stack (a fresh
 * synth into a temporary directory): VPC route tables -> attachment -> its association, then
 * the propagations and static routes of the hub route table it is associated with, and back.
 *
 * The expected matrix is written out here, not derived from the module: prod <-> shared,
 * nonprod <-> shared, prod X nonprod, dev X staging; on-premises only from the segments the
 * organization config names. Data subnets never route to an internet or NAT gateway.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, stackJsonPath } from '../../tools/synth/synthesize';
import { cidrsOverlap, mustParseIpv4Cidr } from '../../modules/core/cidr';
import type { Platform } from '../../environments/load';

type Json = Record<string, any>;

const HUB_STACK = 'shared-network-hub';
const TGW = `${HUB_STACK}:aws_ec2_transit_gateway.transit_gateway`;
const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\}$/;

/** Where a packet ends: a VPC (by environment), on-premises, or dropped with a reason. */
type Arrival = { readonly vpc: string } | { readonly onPremises: true } | { readonly dropped: string };

let outdir: string;
let platform: Platform;
let stacks: Record<string, Json>;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachability-'));
  const result = synthesize({ outdir });
  platform = result.platform;
  stacks = Object.fromEntries(result.stacks.map((stack) => [stack.name, JSON.parse(fs.readFileSync(stackJsonPath(result.outdir, stack.name), 'utf8'))]));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** `stack:type.name` of the resource a value points at, following cross-stack outputs. */
function resolve(stack: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const local = REFERENCE.exec(value);
  if (local) return `${stack}:${local[1]}.${local[2]}`;
  const remote = REMOTE_OUTPUT.exec(value);
  if (!remote) return undefined;
  const key = stacks[stack].data.terraform_remote_state[remote[1]].config.key;
  const producer = Object.keys(stacks).find((name) => stacks[name].terraform?.backend?.s3?.key === key);
  if (!producer) throw new Error(`${stack} reads state ${key}, which no synthesized stack writes`);
  return resolve(producer, stacks[producer].output[remote[2]].value);
}

function resources(stack: string, type: string): [string, Json][] {
  return Object.entries(stacks[stack].resource?.[type] ?? {}).map(([name, body]) => [`${stack}:${type}.${name}`, body as Json]);
}

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
