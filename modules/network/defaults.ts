/** Every default of the network module, named once. Per-tier values are `PerTier` tables. */
import type { PerTier } from '../core/tier';
import type { NatMode } from './config-schema';

/** NAT gateways: one per zone in prod (no cross-zone egress, no single point of failure), one elsewhere. */
export const NAT_MODE: PerTier<NatMode> = { dev: 'single', staging: 'single', prod: 'per-az' };

/** Retention of the optional CloudWatch Logs copy of the flow logs (the archive copy is kept by the archive's lifecycle). */
export const FLOW_LOG_RETENTION_DAYS: PerTier<number> = { dev: 30, staging: 90, prod: 365 };

/** Seconds a flow-log record aggregates (60 or 600): finer in prod, cheaper elsewhere. */
export const FLOW_LOG_AGGREGATION_SECONDS: PerTier<60 | 600> = { dev: 600, staging: 600, prod: 60 };

/** Transit Gateway flow logs only support one-minute aggregation. */
export const TRANSIT_GATEWAY_FLOW_LOG_AGGREGATION_SECONDS = 60;


/** Also send flow logs to CloudWatch Logs. */
export const FLOW_LOGS_TO_CLOUDWATCH = false;

/** Interface endpoints every VPC gets unless the config lists its own. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sts', 'kms', 'ssm'];

/** Gateway endpoints (free, route-table based) on every private route table. */
export const GATEWAY_ENDPOINTS: readonly string[] = ['s3', 'dynamodb'];

/**
 * Interface endpoints a Fargate service cannot start without when there is no NAT: pulling the
 * image (ECR API + registry, layers come from S3 through the gateway endpoint) and shipping logs.
 */
export const EGRESS_FREE_REQUIRED_ENDPOINTS: readonly string[] = ['ecr.api', 'ecr.dkr', 'logs'];

/** Who may reach the ALB on 80/443. */
export const DEFAULT_ALB_INGRESS_CIDRS: readonly string[] = ['0.0.0.0/0'];
/** Ports the app tier serves to the ALB. */
export const DEFAULT_SERVICE_PORTS: readonly number[] = [8080];
/** Ports the data tier serves to the app tier. */
export const DEFAULT_DATABASE_PORTS: readonly number[] = [5432];

export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;
export const ANYWHERE_IPV4 = '0.0.0.0/0';

/** Return traffic of connections opened from the subnet (Linux and NAT gateway ephemeral range). */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/**
 * Remote administration (SSH, RDP): a rule that admits the internet leaves them out, as CIS AWS
 * Foundations 5.1 and checkov CKV_AWS_229-232 expect, so the ephemeral range is split around them.
 */
export const REMOTE_ADMINISTRATION_PORTS: readonly number[] = [22, 3389];

/**
 * What a VPC serves across the Transit Gateway to the VPCs (and on-premises ranges) of the
 * segments that reach it: these TCP ports, in the `app` tier (a service of the shared VPC, an
 * internal API of a workload). Everything else stays inside the VPC.
 */
export const CROSS_VPC_SERVICE_PORTS: readonly number[] = [443];
export const ALL_PORTS = { from: 0, to: 65535 } as const;

/**
 * NACL rule numbers: each purpose owns a block of NACL_RULE_BLOCK_SIZE numbers, entries of a
 * block are NACL_RULE_STEP apart, so a rule can always be slotted in between later.
 */
export const NACL_RULE_STEP = 10;
export const NACL_RULE_BLOCK_SIZE = 100;
/** Most entries (ports or CIDRs) one block holds. */
export const NACL_RULE_BLOCK_ENTRIES = NACL_RULE_BLOCK_SIZE / NACL_RULE_STEP;
/** First rule number of each purpose block. */
export const NACL_RULE_BLOCKS = {
  /** Denies that must come before the allows (peer ranges on the public tier): 10-90. */
  crossVpcDeny: 10,
  https: 100,
  http: 200,
  service: 300,
  database: 400,
  vpcHttps: 500,
  crossVpc: 600,
  transit: 100,
  ephemeral: 900,
} as const;

/** Private ASN range AWS allows for a Transit Gateway. */
export const TRANSIT_GATEWAY_ASN_RANGE = { min: 64512, max: 65534 } as const;
