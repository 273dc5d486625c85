/**
 * A VPC with four subnet tiers in every zone (`public`, `app`, `data`, `transit`), its internet
 * gateway, NAT gateways and route tables, every resource keyed by tier and zone name: adding a
 * zone adds resources and changes none of the existing ones.
 *
 * Route tables: one for `public` (default route to the internet gateway), one for `app` (default
 * route to the NAT gateway) or one per zone when NAT is per zone, one for `data` and one for
 * `transit`, which never get a route to the internet or a NAT gateway.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { zoneId } from '../core/naming';
import { NAT_MODES, type NatMode } from './config-schema';
import { ANYWHERE_IPV4 } from './defaults';
import { planSubnets, subnetLayoutProblem, tierRange, type SubnetTier } from './subnet-layout';
import type { TransitDestination } from './segmentation';
import { protect } from '../core/protection';

export interface TieredVpcProps {
  /** Prefix of every `Name` tag (the environment name). */
  readonly name: string;
  /** The VPC range; subnets are carved from it by `planSubnets`. */
  readonly cidrBlock: string;
  /** Zone names (`eu-west-1a`); order does not matter. */
  readonly availabilityZones: readonly string[];
  /** `none`, `single` (in the first zone by letter) or `per-az`. */
  readonly natMode: NatMode;
}

/** One subnet of the layout and its Terraform resource. */
export interface TierSubnet {
  readonly tier: SubnetTier;
  readonly zone: string;
  readonly cidr: string;
  readonly subnet: Subnet;
  /** The route table the subnet is associated with. */
  readonly routeTable: TierRouteTable;
}

/** A route table of the VPC, with the name its resources are keyed by. */
export interface TierRouteTable {
  /** `public`, `app`, `app_eu_west_1a`, `data`, `transit`. */
  readonly key: string;
  readonly tier: SubnetTier;
  /** Set when the table serves one zone only. */
  readonly zone?: string;
  readonly table: RouteTable;
}

export class TieredVpc extends Construct {
  readonly vpc: Vpc;
  /** Prefix of the `Name` tags. */
  readonly name: string;
  readonly cidrBlock: string;
  /** Sorted zone names. */
  readonly zones: readonly string[];
  readonly natMode: NatMode;
  readonly subnets: readonly TierSubnet[];
  readonly routeTables: readonly TierRouteTable[];
  readonly internetGateway: InternetGateway;
  /** NAT gateways by zone name. */
  readonly natGateways: Readonly<Record<string, NatGateway>>;
  readonly defaultSecurityGroup: DefaultSecurityGroup;

  constructor(scope: Construct, id: string, props: TieredVpcProps) {
    if (!(NAT_MODES as readonly string[]).includes(props.natMode)) {
      throw new Error(`TieredVpc ${id}: natMode must be one of ${NAT_MODES.join(', ')}; got ${JSON.stringify(props.natMode)}`);
    }
    if (props.availabilityZones.length === 0) {
      throw new Error(`TieredVpc ${id}: availabilityZones must list at least one zone; got []`);
    }
    const problem = subnetLayoutProblem(props.cidrBlock, props.availabilityZones);
    if (problem) {
      throw new Error(`TieredVpc ${id}: cidrBlock ${props.cidrBlock} and availabilityZones [${props.availabilityZones.join(', ')}] cannot be laid out: ${problem}`);
    }
    super(scope, id);
    this.name = props.name;
    this.cidrBlock = props.cidrBlock;
    this.zones = [...props.availabilityZones].sort();
    this.natMode = props.natMode;
    const name = (suffix: string) => ({ Name: `${props.name}-${suffix}` });

    this.vpc = new Vpc(this, 'Resource', {
      cidrBlock: props.cidrBlock,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name('vpc'),
    });
    protect(this.vpc, `VPC ${props.name}: every subnet, endpoint, attachment and service of the environment stands in it`);
    const vpcId = this.vpc.id;

    // The default group keeps no rules: anything launched without a group can talk to nothing.
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, 'default_security_group', { vpcId, tags: name('default-closed') });

    this.internetGateway = new InternetGateway(this, 'internet_gateway', { vpcId, tags: name('igw') });

    const plan = planSubnets(props.cidrBlock, this.zones);
    const subnetResources = new Map<string, Subnet>();
    for (const planned of plan) {
      subnetResources.set(
        subnetKey(planned.tier, planned.zone),
        new Subnet(this, subnetKey(planned.tier, planned.zone), {
          vpcId,
          cidrBlock: planned.cidr,
          availabilityZone: planned.zone,
          mapPublicIpOnLaunch: false,
          tags: { ...name(`${planned.tier}-${planned.zone}`), tier: planned.tier },
        }),
      );
    }

    const natZones = props.natMode === 'none' ? [] : props.natMode === 'single' ? [this.zones[0]] : this.zones;
    const natGateways: Record<string, NatGateway> = {};
    for (const zone of natZones) {
      const ip = new Eip(this, `nat_${zoneId(zone)}_ip`, { domain: 'vpc', tags: name(`nat-${zone}`) });
      natGateways[zone] = new NatGateway(this, `nat_${zoneId(zone)}`, {
        allocationId: ip.allocationId,
        subnetId: subnetResources.get(subnetKey('public', zone))!.id,
        connectivityType: 'public',
        tags: name(`nat-${zone}`),
        dependsOn: [this.internetGateway],
      });
    }
    this.natGateways = natGateways;

    const tables: TierRouteTable[] = [];
    const table = (tier: SubnetTier, zone?: string): TierRouteTable => {
      const key = zone ? `${tier}_${zoneId(zone)}` : tier;
      const existing = tables.find((candidate) => candidate.key === key);
      if (existing) return existing;
      const created: TierRouteTable = {
        key,
        tier,
        zone,
        table: new RouteTable(this, `routes_${key}`, { vpcId, tags: { ...name(zone ? `${tier}-${zone}` : tier), tier } }),
      };
      tables.push(created);
      return created;
    };

    const publicTable = table('public');
    new Route(this, 'routes_public_internet', {
      routeTableId: publicTable.table.id,
      destinationCidrBlock: ANYWHERE_IPV4,
      gatewayId: this.internetGateway.id,
    });
    const appTables = props.natMode === 'per-az' ? this.zones.map((zone) => table('app', zone)) : [table('app')];
    for (const appTable of appTables) {
      const nat = natGateways[appTable.zone ?? natZones[0]];
      if (nat) {
        new Route(this, `routes_${appTable.key}_nat`, { routeTableId: appTable.table.id, destinationCidrBlock: ANYWHERE_IPV4, natGatewayId: nat.id });
      }
    }
    table('data');
    table('transit');
    this.routeTables = tables;

    this.subnets = plan.map((planned) => {
      const routeTable =
        planned.tier === 'app' ? (appTables.find((candidate) => candidate.zone === planned.zone) ?? appTables[0]) : table(planned.tier);
      const key = subnetKey(planned.tier, planned.zone);
      new RouteTableAssociation(this, `${key}_routes`, { subnetId: subnetResources.get(key)!.id, routeTableId: routeTable.table.id });
      return { ...planned, subnet: subnetResources.get(key)!, routeTable };
    });
  }

  /** The subnets of one tier, sorted by zone. */
  subnetsOf(tier: SubnetTier): TierSubnet[] {
    return this.subnets.filter((subnet) => subnet.tier === tier);
  }

  /** Subnet ids of one tier, sorted by zone. */
  subnetIds(tier: SubnetTier): string[] {
    return this.subnetsOf(tier).map((subnet) => subnet.subnet.id);
  }

  /** The range holding every present and future subnet of a tier. */
  tierRange(tier: SubnetTier): string {
    return tierRange(this.cidrBlock, tier);
  }

  /** Route tables of the given tiers. */
  routeTablesOf(...tiers: SubnetTier[]): TierRouteTable[] {
    return this.routeTables.filter((table) => tiers.includes(table.tier));
  }

  /** Route tables of subnets without a route to the internet gateway. */
  get privateRouteTables(): TierRouteTable[] {
    return this.routeTablesOf('app', 'data');
  }

  /**
   * Sends each destination to the Transit Gateway from every workload route table (public, app,
   * data; transit subnets only hold the attachment and keep local routes).
   */
  addTransitGatewayRoutes(transitGatewayId: string, destinations: readonly TransitDestination[], dependsOn: readonly ITerraformDependable[]): Route[] {
    const names = destinations.map((destination) => destination.name);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    if (twice.length > 0) {
      throw new Error(`TieredVpc ${this.node.id}: destinations must have distinct names; ${twice.join(', ')} appears twice`);
    }
    return this.routeTablesOf('public', 'app', 'data').flatMap((table) =>
      destinations.map(
        (destination) =>
          new Route(this, `routes_${table.key}_to_${destination.name}`, {
            routeTableId: table.table.id,
            destinationCidrBlock: destination.cidr,
            transitGatewayId,
            dependsOn: [...dependsOn],
          }),
      ),
    );
  }
}

function subnetKey(tier: SubnetTier, zone: string): string {
  return `${tier}_${zoneId(zone)}`;
}
