/**
 * Defaults of the container platform, named once. Per-tier tables are `PerTier<...>`; a
 * service or the environment config overrides them where `config-schema.ts` allows.
 */
import type { PerTier } from '../core/tier';

/** One entry of an ECS capacity provider strategy. */
export interface CapacityStrategyItem {
  /** `FARGATE`, `FARGATE_SPOT` or the name of an EC2 capacity provider. */
  readonly capacityProvider: string;
  /** Tasks always placed on this provider before weights apply. */
  readonly base: number;
  readonly weight: number;
}

export const FARGATE = 'FARGATE';
export const FARGATE_SPOT = 'FARGATE_SPOT';

/** Default capacity provider strategy of the cluster: dev favours spot, prod keeps an on-demand base. */
export const CAPACITY_STRATEGY: PerTier<readonly CapacityStrategyItem[]> = {
  dev: [
    { capacityProvider: FARGATE_SPOT, base: 0, weight: 4 },
    { capacityProvider: FARGATE, base: 0, weight: 1 },
  ],
  staging: [
    { capacityProvider: FARGATE, base: 1, weight: 1 },
    { capacityProvider: FARGATE_SPOT, base: 0, weight: 1 },
  ],
  prod: [
    { capacityProvider: FARGATE, base: 2, weight: 3 },
    { capacityProvider: FARGATE_SPOT, base: 0, weight: 1 },
  ],
};

/** Retention of the service and ECS Exec log groups (prod guardrail: >= 365). */
export const LOG_RETENTION_DAYS: PerTier<number> = { dev: 30, staging: 90, prod: 365 };


/** Rolling deployment bounds (percent of the desired count). */
export const DEPLOYMENT_PERCENT: PerTier<{ readonly minimumHealthyPercent: number; readonly maximumPercent: number }> = {
  dev: { minimumHealthyPercent: 50, maximumPercent: 200 },
  staging: { minimumHealthyPercent: 100, maximumPercent: 200 },
  prod: { minimumHealthyPercent: 100, maximumPercent: 200 },
};

/** Task counts of a service when its config does not set them (desired defaults to the minimum). */
export const MIN_COUNT: PerTier<number> = { dev: 1, staging: 2, prod: 2 };
export const MAX_COUNT: PerTier<number> = { dev: 2, staging: 4, prod: 6 };
/** Prod services keep at least this many tasks so one zone can fail. */
export const PROD_MIN_COUNT = 2;

/** Container and target group health check. */
export const HEALTH_CHECK = {
  path: '/healthz',
  gracePeriodSeconds: 60,
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  matcher: '200-399',
} as const;

/** Seconds the ALB drains a target before it is deregistered. */
export const DEREGISTRATION_DELAY_SECONDS: PerTier<number> = { dev: 5, staging: 30, prod: 60 };

/** Target tracking autoscaling. */
export const AUTOSCALING = {
  cpuTargetPercent: 60,
  requestsPerTarget: 1000,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 60,
} as const;

/** Containers run as this non-root user (uid). */
export const CONTAINER_USER = '1000';
/** Writable scratch volume mounted in every container (the root filesystem is read-only). */
export const SCRATCH_VOLUME = { name: 'tmp', containerPath: '/tmp' } as const;
/** Variable every container gets: the environment's name (`/<env>/<secret>` lookups, logs). */
export const PLATFORM_ENV_VARIABLE = 'PLATFORM_ENV';
/** Ports a container may listen on: non-root processes cannot bind below 1024. */
export const CONTAINER_PORT_RANGE = { min: 1024, max: 65535 } as const;

/** Load balancer. */
export const ALB = {
  httpPort: 80,
  httpsPort: 443,
  /** TLS 1.3 with TLS 1.2 fallback, forward secrecy only. */
  sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  idleTimeoutSeconds: 60,
} as const;
export const ALB_DELETION_PROTECTION: PerTier<boolean> = { dev: false, staging: true, prod: true };
/** Listener rule priorities the ALB accepts. */
export const LISTENER_PRIORITY_RANGE = { min: 1, max: 50000 } as const;
/** Path and host values one listener rule may match (ALB limit: 5 condition values). */
export const MAX_ROUTE_VALUES = 5;

/** Requests per 5 minutes from one IP before the WAF blocks it. */
export const WAF_RATE_LIMIT_PER_FIVE_MINUTES: PerTier<number> = { dev: 1000, staging: 2000, prod: 2000 };
/** AWS managed rule groups on every web ACL, in evaluation order. */
export const WAF_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;
/** AWS WAF logs only to destinations whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/** The service that writes WAF logs into a CloudWatch Logs group. */
export const WAF_LOG_DELIVERY_SERVICE = 'delivery.logs.amazonaws.com';

/** Request headers never written to WAF logs. */
export const WAF_REDACTED_HEADERS = ['authorization', 'cookie'] as const;

/** ECR lifecycle. */
export const REGISTRY = {
  /** Tagged images kept per repository (besides every tag pinned by an environment). */
  keepTaggedImages: 50,
  /** Untagged images expire this many days after push. */
  untaggedExpiryDays: 14,
} as const;
/** ECR pull actions granted to the workload accounts. */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

/** Optional EC2 capacity. */
export const EC2_CAPACITY = {
  /** ECS-optimized Amazon Linux 2023, resolved by EC2 at launch (no API call at synth). */
  amiParameter: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
  targetCapacityPercent: 100,
  rootVolumeSizeGiB: 30,
  rootDeviceName: '/dev/xvda',
  /** IMDSv2 only; one hop so containers cannot reach the instance credentials. */
  metadataHopLimit: 1,
  statusCheckPeriodSeconds: 60,
  statusCheckEvaluationPeriods: 2,
  instanceWarmupSeconds: 300,
} as const;
