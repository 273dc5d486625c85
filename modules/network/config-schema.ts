import { z } from 'zod';
import { cidrSchema } from '../core/schemas';
import type { ConfigIssue } from '../core/config-issue';
import type { EnvironmentConfig } from '../../environments/schema';
import { subnetLayoutProblem } from './subnet-layout';
import { EGRESS_FREE_REQUIRED_ENDPOINTS, GATEWAY_ENDPOINTS, NACL_RULE_BLOCK_ENTRIES } from './defaults';
import { networkSettings } from './settings';
import { serviceNames } from '../containers/config-schema';

export const NAT_MODES = ['none', 'single', 'per-az'] as const;
export type NatMode = (typeof NAT_MODES)[number];

const port = z.number().int().min(1).max(65535);
/** Each list becomes a block of NACL rules with room for NACL_RULE_BLOCK_ENTRIES entries. */
const MAX_ENTRIES = `may list at most ${NACL_RULE_BLOCK_ENTRIES} entries (one block of NACL rule numbers)`;

/** The VPC and its attachment to the hub. Defaults by tier live in `modules/network/defaults.ts`. */
export const networkConfigSchema = z
  .object({
    /** @default - `per-az` in prod, `single` elsewhere */
    natMode: z.enum(NAT_MODES).optional(),
    /** Interface endpoints (service short names). @default - DEFAULT_INTERFACE_ENDPOINTS */
    interfaceEndpoints: z.array(z.string().regex(/^[a-z0-9.-]+$/)).optional(),
    /** Also send flow logs to CloudWatch Logs (they always go to the archive bucket). @default false */
    flowLogsToCloudWatch: z.boolean().optional(),
    /** CIDRs allowed to reach the ALB on 80/443. @default ['0.0.0.0/0'] */
    albIngressCidrs: z.array(cidrSchema).min(1).max(NACL_RULE_BLOCK_ENTRIES, { message: MAX_ENTRIES }).optional(),
    /** Ports the app tier serves to the ALB. @default [8080] */
    servicePorts: z.array(port).min(1).max(NACL_RULE_BLOCK_ENTRIES, { message: MAX_ENTRIES }).optional(),
    /** Ports the data tier serves to the app tier. @default [5432] */
    databasePorts: z.array(port).min(1).max(NACL_RULE_BLOCK_ENTRIES, { message: MAX_ENTRIES }).optional(),
  })
  .strict();

export type NetworkConfig = z.output<typeof networkConfigSchema>;

/** Checks of the network section that need the whole environment (or the others). */
export function validateSection(env: EnvironmentConfig, all: readonly EnvironmentConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const hub = all.find((other) => other.organization);
  if (hub && env.region !== hub.region) {
    issues.push({
      environment: env.name,
      field: 'region',
      value: env.region,
      message: `must be the region of the Transit Gateway hub (${hub.region}, environment ${hub.name}): a VPC attaches only to a Transit Gateway of its own region`,
    });
  }
  const rangeProblem = subnetLayoutProblem(env.vpcCidr, []);
  const zonesProblem = rangeProblem ? undefined : subnetLayoutProblem(env.vpcCidr, env.availabilityZones);
  if (rangeProblem) issues.push({ environment: env.name, field: 'vpcCidr', value: env.vpcCidr, message: rangeProblem });
  if (zonesProblem) {
    issues.push({ environment: env.name, field: 'availabilityZones', value: env.availabilityZones, message: `cannot be laid out in ${env.vpcCidr}: ${zonesProblem}` });
  }

  if (env.organization) issues.push(...ramSharingIssues(env, all));

  const settings = networkSettings(env);
  const endpoints = settings.interfaceEndpoints;
  const twice = endpoints.filter((endpoint, index) => endpoints.indexOf(endpoint) !== index);
  if (twice.length > 0) {
    issues.push({ environment: env.name, field: 'network.interfaceEndpoints', value: endpoints, message: `lists ${[...new Set(twice)].join(', ')} more than once` });
  }
  const gateway = endpoints.filter((endpoint) => GATEWAY_ENDPOINTS.includes(endpoint));
  if (gateway.length > 0) {
    issues.push({
      environment: env.name,
      field: 'network.interfaceEndpoints',
      value: endpoints,
      message: `${gateway.join(', ')} ${gateway.length > 1 ? 'are' : 'is a'} gateway endpoint${gateway.length > 1 ? 's' : ''}, always created on every private route table; remove ${gateway.length > 1 ? 'them' : 'it'} from the list`,
    });
  }

  const services = serviceNames(env);
  const missing = EGRESS_FREE_REQUIRED_ENDPOINTS.filter((endpoint) => !endpoints.includes(endpoint));
  if (settings.natMode === 'none' && services.length > 0 && missing.length > 0) {
    issues.push({
      environment: env.name,
      field: 'network.natMode',
      value: settings.natMode,
      message:
        `is none, but services ${services.join(', ')} need egress to pull images and ship logs and network.interfaceEndpoints lacks ${missing.join(', ')}; ` +
        `add ${missing.join(', ')} to network.interfaceEndpoints or use natMode 'single' or 'per-az'`,
    });
  }
  return issues;
}

/**
 * The hub shares its Transit Gateway through RAM with every other account that has a VPC, without
 * external principals: RAM accepts such a share only when sharing with AWS Organizations is
 * enabled, so the organization section must say it is.
 */
function ramSharingIssues(hub: EnvironmentConfig, all: readonly EnvironmentConfig[]): ConfigIssue[] {
  const spokes = all.filter((other) => other.accountId !== hub.accountId);
  if (hub.organization?.ramSharingWithOrganization || spokes.length === 0) return [];
  return [
    {
      environment: hub.name,
      field: 'organization.ramSharingWithOrganization',
      value: hub.organization?.ramSharingWithOrganization,
      message:
        `must be true: the Transit Gateway is shared through RAM with ${spokes.map((spoke) => `${spoke.name} (${spoke.accountId})`).join(', ')} ` +
        'without external principals, which RAM allows only once sharing with AWS Organizations is enabled. Enable it once from the ' +
        "organization's management account (`aws ram enable-sharing-with-aws-organization`, or RAM console > Settings), then set " +
        'organization.ramSharingWithOrganization: true',
    },
  ];
}
