/**
 * The `services` section of an environment config: the container services of a workload
 * environment (ECS on Fargate behind an ALB and WAF), the cluster and ingress settings, and, in
 * the environment that declares the organization only, the registry settings.
 *
 * Problems about one service name the service, not its list position: `services.api.memory`.
 */
import { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import type { EnvironmentConfig } from '../../environments/schema';
import {
  CONTAINER_PORT_RANGE,
  LISTENER_PRIORITY_RANGE,
  MAX_COUNT,
  MAX_ROUTE_VALUES,
  MIN_COUNT,
  PLATFORM_ENV_VARIABLE,
  PROD_MIN_COUNT,
} from './defaults';
import { fargateCpuProblem, fargateMemoryProblem } from './private/fargate-sizes';
import { parseImageRef, REPOSITORY_NAME } from './image-ref';
import { networkSettings } from '../network/settings';
import { secretShape, type SecretConfig } from '../secrets/config-schema';
import { roleArn, serviceTaskRoleName } from '../core/shared-names';

/** Service names: used in role, target group and log group names. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,27}[a-z0-9]$/;
/** Target group names are `<env>-<service>`, at most 32 characters. */
export const TARGET_GROUP_NAME_MAX = 32;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Plain environment variables whose name says they hold a secret. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|PRIVATE_KEY|API_KEY|TOKEN)$/i;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&=%]{0,127}$/;
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE_ARN = /^arn:aws:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

export const CAPACITY_KINDS = ['fargate', 'ec2'] as const;
/** How a service gets a secret. */
export const SECRET_READS = ['inject', 'run-time'] as const;

/** One secret of a service, in full. */
const serviceSecretSchema = z
  .object({
    /** Short name of the secret in its environment's `secrets` section (`api/db-password`). */
    secret: z.string(),
    /** Environment that declares the secret (its `readers` must name this service's task role). @default - this environment */
    environment: z.string().optional(),
    /**
     * `inject`: ECS puts the value in the variable at task start (execution role); a rotated value
     * reaches running tasks only through the new deployment a rotation starts.
     * `run-time`: the variable holds the secret ARN; the application reads it with the SDK (task role).
     * @default inject
     */
    read: z.enum(SECRET_READS).default('inject'),
    /** JSON key of the value to inject (`password`): required when the value is a JSON object. @default - the whole value */
    jsonKey: z.string().optional(),
  })
  .strict();

const serviceSchema = z
  .object({
    /** Service name, unique in the environment: `api`. */
    name: z.string().regex(SERVICE_NAME, { message: 'must be 2-29 lower-case letters, digits and dashes, starting with a letter' }),
    /** Pinned image of the platform registry: `api:1.4.2` or `api@sha256:<64 hex>`; promotion rewrites this string. */
    image: z.string(),
    /** Task CPU units (a Fargate size: 256, 512, 1024, ...). */
    cpu: z.number().int(),
    /** Task memory in MiB (a Fargate size for the cpu). */
    memory: z.number().int(),
    /** Port the container listens on (the ALB forwards to it). */
    port: z.number().int(),
    /** HTTP path the ALB health check requests. @default HEALTH_CHECK.path (`/healthz`) */
    healthCheckPath: z.string().regex(/^\/\S{0,1023}$/, { message: 'must be an absolute URL path such as /healthz' }).optional(),
    /** Seconds ECS ignores failing health checks after a task starts. @default HEALTH_CHECK.gracePeriodSeconds */
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).optional(),
    /** Tasks at deploy time. @default - minCount */
    desiredCount: z.number().int().min(0).optional(),
    /** Autoscaling lower bound. @default - MIN_COUNT of the tier */
    minCount: z.number().int().min(0).optional(),
    /** Autoscaling upper bound. @default - MAX_COUNT of the tier */
    maxCount: z.number().int().min(1).optional(),
    autoscaling: z
      .object({
        /** Average CPU the service is scaled to. @default AUTOSCALING.cpuTargetPercent */
        cpuTargetPercent: z.number().int().min(10).max(95).optional(),
        /** ALB requests per task the service is scaled to. @default AUTOSCALING.requestsPerTarget */
        requestsPerTarget: z.number().int().min(1).optional(),
      })
      .strict()
      .default({}),
    /** Plain environment variables (never secrets: those go in `secrets`). */
    environment: z.record(z.string()).default({}),
    /**
     * Container env var -> a secret. A string is the short name of a secret of this environment,
     * injected whole at task start; an object says which JSON key to inject (`jsonKey`), or that
     * the application reads the secret at run time (`read: 'run-time'`: the variable holds the
     * secret's ARN and the task role may read it), possibly from another environment.
     */
    secrets: z.record(z.union([z.string(), serviceSecretSchema])).default({}),
    /** The ALB listener rule that sends requests to this service. */
    route: z
      .object({
        /** Listener rule priority, unique in the environment (lower wins): it never moves when services are added. */
        priority: z.number().int(),
        /** Path patterns (`/api/*`). */
        paths: z.array(z.string()).default([]),
        /** Host headers (`api.example.com`). */
        hosts: z.array(z.string()).default([]),
      })
      .strict(),
    /** Where the tasks run. @default fargate (the cluster's Fargate strategy) */
    capacity: z.enum(CAPACITY_KINDS).default('fargate'),
  })
  .strict();

const ec2CapacitySchema = z
  .object({
    /** EC2 instance type (`m7i.large`). */
    instanceType: z.string().regex(INSTANCE_TYPE, { message: 'must be an EC2 instance type such as m7i.large' }),
    minSize: z.number().int().min(0),
    maxSize: z.number().int().min(1),
    /** Managed scaling target utilization. @default EC2_CAPACITY.targetCapacityPercent */
    targetCapacityPercent: z.number().int().min(1).max(100).optional(),
    /** Encrypted root volume size. @default EC2_CAPACITY.rootVolumeSizeGiB */
    rootVolumeSizeGiB: z.number().int().min(30).max(16384).optional(),
  })
  .strict();

export const servicesConfigSchema = z
  .object({
    cluster: z
      .object({
        /** ECS Exec into running tasks, sessions logged to an encrypted log group (prod guardrail: off). @default false */
        execCommand: z.boolean().default(false),
        /** EC2 capacity next to Fargate (services opt in with `capacity: 'ec2'`). @default - none */
        ec2: ec2CapacitySchema.optional(),
      })
      .strict()
      .default({}),
    /** The internet-facing ALB; required when the environment has services. */
    ingress: z
      .object({
        /** ACM certificate of the HTTPS listener, in the environment's account and region. */
        certificateArn: z.string().regex(ACM_CERTIFICATE_ARN, { message: 'must be an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<uuid>' }),
        /** Requests per 5 minutes from one IP before WAF blocks it. @default - WAF_RATE_LIMIT_PER_FIVE_MINUTES of the tier */
        rateLimitPerFiveMinutes: z.number().int().min(10).max(2_000_000_000).optional(),
        /** ALB idle timeout. @default ALB.idleTimeoutSeconds */
        idleTimeoutSeconds: z.number().int().min(1).max(4000).optional(),
      })
      .strict()
      .optional(),
    /** The services of the environment. */
    list: z.array(serviceSchema).default([]),
    /** Registry settings: only in the environment that declares the organization (the registry is in the tooling account). */
    registry: z
      .object({
        /** Tagged images kept per repository besides the pinned ones. @default REGISTRY.keepTaggedImages */
        keepTaggedImages: z.number().int().min(1).max(10000).optional(),
        /** Days after push an untagged image expires. @default REGISTRY.untaggedExpiryDays */
        untaggedExpiryDays: z.number().int().min(1).max(3650).optional(),
        /** Repositories to create besides those the environments' services pin (images not deployed yet). @default [] */
        extraRepositories: z.array(z.string().regex(REPOSITORY_NAME, { message: 'must be an ECR repository name' })).default([]),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({});

export type ServicesConfig = z.output<typeof servicesConfigSchema>;
export type ServiceConfig = ServicesConfig['list'][number];
export type Ec2CapacityConfig = z.output<typeof ec2CapacitySchema>;

/** One secret a service uses, normalized. */
export interface ServiceSecretRef {
  /** The container environment variable. */
  readonly variable: string;
  /** Short name of the secret in `environment`'s secrets section. */
  readonly secret: string;
  /** Environment declaring the secret. */
  readonly environment: string;
  readonly read: (typeof SECRET_READS)[number];
  readonly jsonKey?: string;
}

/** The secrets of a service, sorted by variable, strings expanded to `{ secret, read: 'inject' }`. */
export function serviceSecretRefs(environment: string, service: ServiceConfig): ServiceSecretRef[] {
  return Object.entries(service.secrets)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([variable, ref]) =>
      typeof ref === 'string'
        ? { variable, secret: ref, environment, read: 'inject' as const }
        : { variable, secret: ref.secret, environment: ref.environment ?? environment, read: ref.read, jsonKey: ref.jsonKey },
    );
}

/** The service names of an environment (what other sections name as readers, dashboard rows, ...). */
export function serviceNames(env: EnvironmentConfig): string[] {
  return (env.services?.list ?? []).map((service) => service.name);
}

/** The resolved task counts of a service (config or tier defaults). */
export function serviceCounts(env: EnvironmentConfig, service: ServiceConfig): { desired: number; min: number; max: number } {
  const min = service.minCount ?? MIN_COUNT[env.tier];
  const max = service.maxCount ?? Math.max(MAX_COUNT[env.tier], min);
  return { min, max, desired: service.desiredCount ?? min };
}

/** Checks of the services section that need the whole environment (secrets, tier) or the others. */
export function validateSection(env: EnvironmentConfig, all: readonly EnvironmentConfig[]): ConfigIssue[] {
  const section = env.services;
  const issues: ConfigIssue[] = [];
  const issue = (field: string, value: unknown, message: string) => issues.push({ environment: env.name, field, value, message });

  if (env.organization) {
    if (section.list.length > 0) issue('services.list', section.list.map((s) => s.name), 'the organization environment runs no container platform; declare services in a workload environment');
    if (section.ingress) issue('services.ingress', undefined, 'the organization environment has no load balancer; remove it');
    if (section.cluster.ec2 || section.cluster.execCommand) issue('services.cluster', undefined, 'the organization environment has no cluster; remove it');
    return issues;
  }
  if (section.registry) issue('services.registry', undefined, 'registry settings belong in the environment that declares the organization (the registry is in the tooling account)');

  if (section.list.length > 0 && !section.ingress) {
    issue('services.ingress', undefined, 'is required when the environment has services: give ingress.certificateArn (an ACM certificate of this account and region)');
  }
  if (section.ingress) {
    const match = ACM_CERTIFICATE_ARN.exec(section.ingress.certificateArn);
    if (match && (match[1] !== env.region || match[2] !== env.accountId)) {
      issue('services.ingress.certificateArn', section.ingress.certificateArn, `must be a certificate in the environment's account ${env.accountId} and region ${env.region}`);
    }
  }
  const ec2 = section.cluster.ec2;
  if (ec2 && ec2.minSize > ec2.maxSize) issue('services.cluster.ec2.minSize', ec2.minSize, `must not exceed maxSize ${ec2.maxSize}`);

  const servicePorts = networkSettings(env).servicePorts;
  const seenNames = new Set<string>();
  const priorities = new Map<number, string>();
  const claims = new Map<string, string>();
  for (const service of section.list) {
    const at = `services.${service.name}`;
    if (seenNames.has(service.name)) issue(`${at}.name`, service.name, 'is declared twice; service names are unique in an environment');
    seenNames.add(service.name);
    const targetGroupName = `${env.name}-${service.name}`;
    if (targetGroupName.length > TARGET_GROUP_NAME_MAX) {
      issue(`${at}.name`, service.name, `makes the target group name "${targetGroupName}" longer than ${TARGET_GROUP_NAME_MAX} characters; shorten the service name`);
    }

    const image = parseImageRef(service.image);
    if (!image.ok) issue(`${at}.image`, service.image, image.problem);

    const cpuProblem = fargateCpuProblem(service.cpu);
    if (cpuProblem) issue(`${at}.cpu`, service.cpu, cpuProblem);
    const memoryProblem = fargateMemoryProblem(service.cpu, service.memory);
    if (memoryProblem) issue(`${at}.memory`, service.memory, memoryProblem);

    if (service.port < CONTAINER_PORT_RANGE.min || service.port > CONTAINER_PORT_RANGE.max) {
      issue(`${at}.port`, service.port, `must be ${CONTAINER_PORT_RANGE.min}-${CONTAINER_PORT_RANGE.max} (containers run as a non-root user, which cannot bind lower ports)`);
    } else if (!servicePorts.includes(service.port)) {
      issue(`${at}.port`, service.port, `is not a port the app security group opens to the ALB (network.servicePorts: ${servicePorts.join(', ')}); add it there or use one of them`);
    }

    const counts = serviceCounts(env, service);
    if (counts.min > counts.max) issue(`${at}.minCount`, counts.min, `must not exceed maxCount ${counts.max}`);
    if (counts.desired < counts.min || counts.desired > counts.max) {
      issue(`${at}.desiredCount`, counts.desired, `must be between minCount ${counts.min} and maxCount ${counts.max}`);
    }
    if (env.tier === 'prod' && counts.min < PROD_MIN_COUNT) {
      issue(`${at}.minCount`, counts.min, `must be at least ${PROD_MIN_COUNT} in a prod-tier environment, so losing one zone keeps the service up`);
    }
    if (service.capacity === 'ec2' && !ec2) {
      issue(`${at}.capacity`, service.capacity, 'needs EC2 capacity in the cluster: add services.cluster.ec2, or use fargate');
    }

    checkRoute(service, at, issue, priorities, claims);
    checkVariables(service, at, issue);
    for (const ref of serviceSecretRefs(env.name, service)) checkSecret(env, all, service, ref, issue);
  }
  return issues;
}

type Report = (field: string, value: unknown, message: string) => void;

/** The secret a service names exists, lets the service read it, and has the shape the variable takes. */
function checkSecret(env: EnvironmentConfig, all: readonly EnvironmentConfig[], service: ServiceConfig, ref: ServiceSecretRef, issue: Report): void {
  const field = `services.${service.name}.secrets.${ref.variable}`;
  const owner = all.find((candidate) => candidate.name === ref.environment);
  if (!owner) {
    issue(field, ref.environment, `names environment "${ref.environment}", which does not exist; known: ${all.map((e) => e.name).join(', ')}`);
    return;
  }
  const declared = (owner.secrets ?? []).find((secret) => secret.name === ref.secret);
  if (!declared) {
    const known = (owner.secrets ?? []).map((secret) => secret.name);
    issue(field, ref.secret, `is not a secret of environment ${owner.name}; declared: ${known.length ? known.join(', ') : '(none)'} (add it to the secrets section)`);
    return;
  }
  const crossEnvironment = owner.name !== env.name;
  if (crossEnvironment) {
    // ECS injects a secret of another account only by its full ARN, random suffix included, which no config knows.
    if (ref.read !== 'run-time') issue(field, ref.secret, `is a secret of environment ${owner.name}: another account's secret is read at run time; add read: 'run-time'`);
    const taskRole = roleArn(env.accountId, serviceTaskRoleName(env.name, service.name));
    if (!declared.readers.includes(taskRole)) {
      issue(field, ref.secret, `is not readable by ${taskRole}: add that task role ARN to the readers of ${owner.name}'s secret ${ref.secret} (readers: ${declared.readers.join(', ')})`);
    }
  } else if (!declared.readers.includes(service.name)) {
    issue(field, ref.secret, `does not list ${service.name} among its readers (${declared.readers.join(', ') || 'none'}); add it to the secret's readers`);
  }
  const shape = secretShape(declared as SecretConfig);
  if (ref.read === 'run-time') {
    if (ref.jsonKey !== undefined) issue(`${field}.jsonKey`, ref.jsonKey, "applies to injected secrets only; at run time the application parses the value itself (remove jsonKey or use read: 'inject')");
    return;
  }
  if (shape.kind === 'json' && ref.jsonKey === undefined) {
    issue(field, ref.secret, `is a JSON object (${shape.keys.join(', ')}); injected whole, the variable would hold the JSON: add jsonKey (for example '${shape.keys.includes('password') ? 'password' : shape.keys[0]}') or read it at run time`);
  } else if (shape.kind === 'json' && !shape.keys.includes(ref.jsonKey!)) {
    issue(`${field}.jsonKey`, ref.jsonKey, `is not a key of ${ref.secret}; its keys: ${shape.keys.join(', ')} (declare others with the secret's jsonKeys)`);
  } else if (shape.kind === 'string' && ref.jsonKey !== undefined) {
    issue(`${field}.jsonKey`, ref.jsonKey, `${ref.secret} is a plain string, not JSON; remove jsonKey (or declare the secret's jsonKeys)`);
  }
}

function checkRoute(service: ServiceConfig, at: string, issue: Report, priorities: Map<number, string>, claims: Map<string, string>): void {
  const { priority, paths, hosts } = service.route;
  if (priority < LISTENER_PRIORITY_RANGE.min || priority > LISTENER_PRIORITY_RANGE.max) {
    issue(`${at}.route.priority`, priority, `must be ${LISTENER_PRIORITY_RANGE.min}-${LISTENER_PRIORITY_RANGE.max}`);
  } else if (priorities.has(priority)) {
    issue(`${at}.route.priority`, priority, `is already used by service ${priorities.get(priority)}; every listener rule needs its own priority`);
  } else priorities.set(priority, service.name);

  if (paths.length + hosts.length === 0) {
    issue(`${at}.route`, undefined, 'must match at least one path (`paths: [\'/api/*\']`) or host (`hosts: [\'api.example.com\']`)');
    return;
  }
  if (paths.length + hosts.length > MAX_ROUTE_VALUES) {
    issue(`${at}.route`, [...hosts, ...paths], `matches ${paths.length + hosts.length} values; an ALB rule takes at most ${MAX_ROUTE_VALUES} paths and hosts together`);
  }
  paths.forEach((path) => {
    if (!PATH_PATTERN.test(path)) issue(`${at}.route.paths`, path, 'must be an ALB path pattern starting with / (at most 128 characters; * and ? wildcards)');
  });
  hosts.forEach((host) => {
    if (!HOST_PATTERN.test(host.toLowerCase())) issue(`${at}.route.hosts`, host, 'must be a host name such as api.example.com (a leading *. wildcard is allowed)');
  });
  // A request is claimed by (host, path); a rule without hosts matches every host, without paths every path.
  const hostKeys = hosts.length ? hosts.map((host) => host.toLowerCase()) : ['*'];
  const pathKeys = paths.length ? paths : ['*'];
  const reported = new Set<string>();
  for (const host of hostKeys) {
    for (const path of pathKeys) {
      const key = `${host} ${path}`;
      const owner = claims.get(key);
      if (owner && owner !== service.name && !reported.has(owner)) {
        reported.add(owner);
        const field = paths.length ? `${at}.route.paths` : `${at}.route.hosts`;
        issue(field, paths.length ? path : host, `is already claimed by service ${owner}${hosts.length ? ` for host ${host}` : ''}; two services cannot serve the same path or host`);
      } else if (!owner) claims.set(key, service.name);
    }
  }
}

function checkVariables(service: ServiceConfig, at: string, issue: Report): void {
  if (PLATFORM_ENV_VARIABLE in service.environment || PLATFORM_ENV_VARIABLE in service.secrets) {
    issue(`${at}.environment.${PLATFORM_ENV_VARIABLE}`, PLATFORM_ENV_VARIABLE, 'is set by the platform (the environment name); remove it');
  }
  for (const name of [...Object.keys(service.environment), ...Object.keys(service.secrets)]) {
    if (!ENV_VAR_NAME.test(name)) {
      const field = name in service.environment ? 'environment' : 'secrets';
      issue(`${at}.${field}.${name}`, name, 'must be an environment variable name (letters, digits and _, not starting with a digit)');
    }
  }
  for (const name of Object.keys(service.environment)) {
    if (name in service.secrets) issue(`${at}.environment.${name}`, name, 'is also a secret of the service; a variable is either plain or a secret');
    else if (SECRET_LIKE_NAME.test(name)) {
      issue(`${at}.environment.${name}`, name, 'looks like a secret; plain environment variables are visible in the task definition, declare it under secrets instead');
    }
  }
}
