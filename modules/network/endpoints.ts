/**
 * VPC endpoints: the gateway endpoints (S3, DynamoDB) on every private route table and the
 * interface endpoints of a list in the app subnets, with private DNS and the `endpoints` group.
 * Route tables and subnets join through association resources keyed by table and zone, so a new
 * zone adds associations and changes no endpoint.
 */
import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcEndpointRouteTableAssociation } from '@cdktf/provider-aws/lib/vpc-endpoint-route-table-association';
import { VpcEndpointSubnetAssociation } from '@cdktf/provider-aws/lib/vpc-endpoint-subnet-association';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { terraformId, zoneId } from '../core/naming';
import type { TieredVpc } from './vpc';
import { DEFAULT_INTERFACE_ENDPOINTS, GATEWAY_ENDPOINTS } from './defaults';

export interface VpcEndpointsProps {
  readonly vpc: TieredVpc;
  readonly region: string;
  /** The group of the interface endpoints (443 from the VPC). */
  readonly securityGroup: SecurityGroup;
  /** Interface endpoints by service short name (`ecr.api`). @default DEFAULT_INTERFACE_ENDPOINTS */
  readonly interfaceEndpoints?: readonly string[];
}

const SERVICE_NAME = /^[a-z0-9][a-z0-9.-]*$/;

export class VpcEndpoints extends Construct {
  /** Gateway endpoints by service (`s3`). */
  readonly gateway: Readonly<Record<string, VpcEndpoint>>;
  /** Interface endpoints by service (`ecr.api`). */
  readonly interface: Readonly<Record<string, VpcEndpoint>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    const services = props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS;
    const bad = services.filter((service) => !SERVICE_NAME.test(service));
    if (bad.length > 0) {
      throw new Error(`VpcEndpoints ${id}: interfaceEndpoints must be service short names such as ecr.api; got ${JSON.stringify(bad)}`);
    }
    const twice = services.filter((service, index) => services.indexOf(service) !== index);
    if (twice.length > 0) throw new Error(`VpcEndpoints ${id}: interfaceEndpoints lists ${twice.join(', ')} twice; list each once`);
    const gatewayListed = services.filter((service) => GATEWAY_ENDPOINTS.includes(service));
    if (gatewayListed.length > 0) {
      throw new Error(`VpcEndpoints ${id}: interfaceEndpoints lists ${gatewayListed.join(', ')}, which are always gateway endpoints; remove them`);
    }
    super(scope, id);
    const vpc = props.vpc;
    const serviceName = (service: string) => `com.amazonaws.${props.region}.${service}`;

    const gateway: Record<string, VpcEndpoint> = {};
    for (const service of GATEWAY_ENDPOINTS) {
      const key = terraformId(service);
      const endpoint = new VpcEndpoint(this, key, {
        vpcId: vpc.vpc.id,
        serviceName: serviceName(service),
        vpcEndpointType: 'Gateway',
        tags: { Name: `${vpc.name}-${service}` },
      });
      gateway[service] = endpoint;
      for (const table of vpc.privateRouteTables) {
        new VpcEndpointRouteTableAssociation(this, `${key}_${table.key}`, { vpcEndpointId: endpoint.id, routeTableId: table.table.id });
      }
    }

    const interfaces: Record<string, VpcEndpoint> = {};
    for (const service of services) {
      const key = terraformId(service);
      const endpoint = new VpcEndpoint(this, key, {
        vpcId: vpc.vpc.id,
        serviceName: serviceName(service),
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        securityGroupIds: [props.securityGroup.id],
        tags: { Name: `${vpc.name}-${service}` },
      });
      interfaces[service] = endpoint;
      for (const subnet of vpc.subnetsOf('app')) {
        new VpcEndpointSubnetAssociation(this, `${key}_${zoneId(subnet.zone)}`, { vpcEndpointId: endpoint.id, subnetId: subnet.subnet.id });
      }
    }
    this.gateway = gateway;
    this.interface = interfaces;
  }
}
