import { z } from 'zod';
import { cidrSchema } from '../core/schemas';
import type { ConfigIssue } from '../core/config-issue';
import type { EnvironmentConfig } from '../../environments/schema';
import { subnetLayoutProblem } from './subnet-layout';

export const NAT_MODES = ['none', 'single', 'per-az'] as const;
export type NatMode = (typeof NAT_MODES)[number];

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
    albIngressCidrs: z.array(cidrSchema).optional(),
    /** Ports the app tier serves to the ALB. @default [8080] */
    servicePorts: z.array(z.number().int().min(1).max(65535)).optional(),
    /** Ports the data tier serves to the app tier. @default [5432] */
    databasePorts: z.array(z.number().int().min(1).max(65535)).optional(),
  })
  .strict();


/** Checks of the network section that need the whole environment (or the others). */
export function validateSection(env: EnvironmentConfig, _all: readonly EnvironmentConfig[]): ConfigIssue[] {
  const problem = subnetLayoutProblem(env.vpcCidr, env.availabilityZones);
  return problem ? [{ environment: env.name, field: 'vpcCidr', value: env.vpcCidr, message: problem }] : [];
}
