/**
 * Discovers `environments/<name>/config.ts`, validates each against the schema, then checks
 * the environments against each other. Adding an environment is adding a directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ZodIssue } from 'zod';
import { ConfigError, type ConfigIssue } from '../modules/core/config-issue';
import { zonesOf } from '../modules/core/regions';
import { tierRank } from '../modules/core/tier';
import { cidrsOverlap } from '../modules/core/cidr';
import { environmentSchema, SEGMENTS, type EnvironmentConfig, type OrganizationConfig, type Segment } from './schema';
import * as network from '../modules/network/config-schema';
import * as containers from '../modules/containers/config-schema';
import * as secrets from '../modules/secrets/config-schema';
import * as observability from '../modules/observability/config-schema';

/** The file each environment directory holds. */
export const CONFIG_FILE = 'config.ts';
/** Where the shipped environments live. */
export const DEFAULT_ENVIRONMENTS_DIR = __dirname;

/** Every validated environment of the organization, with the facts derived from all of them. */
export interface Platform {
  /** Sorted by name. */
  readonly environments: readonly EnvironmentConfig[];
  /** The environment that declares the organization (the `shared` one). */
  readonly shared: EnvironmentConfig;
  readonly organization: OrganizationConfig;
  /** The promotion chain, first to last (dev -> staging -> prod). */
  readonly promotionChain: readonly EnvironmentConfig[];
  environment(name: string): EnvironmentConfig;
}

/** Section checks that need a whole environment or all of them, one per module. */
const SECTION_VALIDATORS = [
  network.validateSection,
  containers.validateSection,
  secrets.validateSection,
  observability.validateSection,
];

/** Names of the environment directories below `root` (those holding a config file). */
export function discoverEnvironments(root: string = DEFAULT_ENVIRONMENTS_DIR): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, CONFIG_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** Loads, validates and cross-checks every environment below `root`; throws one ConfigError listing all problems. */
export function loadPlatform(root: string = DEFAULT_ENVIRONMENTS_DIR): Platform {
  const names = discoverEnvironments(root);
  // Absolute, so that `require` loads `environments/dev/config.ts` as a file, not as a package.
  const absoluteRoot = path.resolve(root);
  const raw = names.map((name) => ({ name, value: readConfigFile(path.join(absoluteRoot, name, CONFIG_FILE), name) }));
  return validatePlatform(raw);
}

/** Validates configs already in memory (`name` is the directory name). */
export function validatePlatform(raw: readonly { name: string; value: unknown }[]): Platform {
  const issues: ConfigIssue[] = [];
  if (raw.length === 0) {
    throw new ConfigError([{ environment: '*', field: 'environments', message: `no environment directory holds a ${CONFIG_FILE}` }]);
  }
  const environments: EnvironmentConfig[] = [];
  for (const { name, value } of raw) {
    if (value instanceof Error) {
      issues.push({ environment: name, field: CONFIG_FILE, message: value.message });
      continue;
    }
    const parsed = environmentSchema.safeParse(value);
    if (!parsed.success) {
      issues.push(...parsed.error.issues.map((issue) => fromZodIssue(name, issue, value)));
      continue;
    }
    const env = { ...parsed.data, segment: parsed.data.segment ?? defaultSegment(parsed.data) } as EnvironmentConfig;
    if (env.name !== name) {
      issues.push({ environment: name, field: 'name', value: env.name, message: `must equal the directory name "${name}"` });
    }
    issues.push(...checkEnvironment(env));
    environments.push(env);
  }
  if (issues.length === 0) issues.push(...checkAcrossEnvironments(environments));
  if (issues.length === 0) {
    for (const env of environments) for (const validate of SECTION_VALIDATORS) issues.push(...validate(env, environments));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return makePlatform(environments);
}

function readConfigFile(file: string, name: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file);
    return loaded.default ?? loaded.config ?? new Error(`must export the environment config as its default export`);
  } catch (error) {
    return new Error(`cannot be loaded for "${name}": ${(error as Error).message.split('\n')[0]}`);
  }
}

function defaultSegment(env: { tier: string; organization?: unknown }): Segment {
  if (env.organization) return 'shared';
  return env.tier === 'prod' ? 'prod' : 'nonprod';
}

function fromZodIssue(environment: string, issue: ZodIssue, root: unknown): ConfigIssue {
  const field = issue.path.join('.') || '(config)';
  let value: unknown = root;
  for (const key of issue.path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  let message = issue.message;
  if (issue.code === 'invalid_enum_value') message = `must be one of ${issue.options.join(', ')}`;
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    message = message === 'Required' ? `is required (${issue.expected})` : message;
    value = undefined;
  }
  return { environment, field, value: issue.code === 'unrecognized_keys' ? undefined : value, message };
}

function checkEnvironment(env: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const allowed = zonesOf(env.region);
  env.availabilityZones.forEach((zone, index) => {
    if (!allowed.includes(zone)) {
      issues.push({
        environment: env.name,
        field: `availabilityZones.${index}`,
        value: zone,
        message: `is not a zone of ${env.region}; allowed: ${allowed.join(', ')}`,
      });
    }
  });
  for (const field of ['deployRoleArn', 'planRoleArn'] as const) {
    const arn = env[field];
    if (arn && !arn.includes(`::${env.accountId}:`)) {
      issues.push({ environment: env.name, field, value: arn, message: `must be a role in the environment's own account ${env.accountId}` });
    }
  }
  if (env.tags.environment !== env.name) {
    issues.push({ environment: env.name, field: 'tags.environment', value: env.tags.environment, message: `must equal the environment name "${env.name}"` });
  }
  return issues;
}

function checkAcrossEnvironments(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  return [...checkOrganization(envs), ...checkAddressSpace(envs), ...checkAccounts(envs), ...checkPromotionChain(envs)];
}

function checkOrganization(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const declaring = envs.filter((env) => env.organization);
  if (declaring.length === 1) {
    const shared = declaring[0];
    const org = shared.organization!;
    const onPrem = org.transitGateway.onPremises;
    const issues: ConfigIssue[] = (onPrem?.reachableFrom ?? [])
      .map((segment, index) => ({ segment, index }))
      .filter(({ segment }) => !(SEGMENTS as readonly string[]).includes(segment))
      .map(({ segment, index }) => ({
        environment: shared.name,
        field: `organization.transitGateway.onPremises.reachableFrom.${index}`,
        value: segment,
        message: `is not a segment; allowed: ${SEGMENTS.join(', ')}`,
      }));
    if (org.state.region !== shared.region) {
      // shared-bootstrap creates the state bucket and its KMS key in the shared environment's region; SSE-KMS needs both in one region.
      issues.push({
        environment: shared.name,
        field: 'organization.state.region',
        value: org.state.region,
        message: `must be the shared environment's region ${shared.region}: shared-bootstrap creates the state bucket and the state key there`,
      });
    }
    return issues;
  }
  return [
    {
      environment: declaring[1]?.name ?? '*',
      field: 'organization',
      message:
        declaring.length === 0
          ? 'exactly one environment (the shared one) must declare the organization: accounts, state bucket, GitHub repository'
          : `is declared by ${declaring.map((env) => env.name).join(' and ')}; exactly one environment may declare it`,
    },
  ];
}

function checkAddressSpace(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ranges = envs.map((env) => ({ env: env.name, field: 'vpcCidr', cidr: env.vpcCidr }));
  for (const env of envs) {
    (env.organization?.transitGateway.onPremises?.cidrs ?? []).forEach((cidr, index) =>
      ranges.push({ env: env.name, field: `organization.transitGateway.onPremises.cidrs.${index}`, cidr }),
    );
  }
  ranges.forEach((a, i) => {
    ranges.slice(i + 1).forEach((b) => {
      if (cidrsOverlap(a.cidr, b.cidr)) {
        issues.push({
          environment: b.env,
          field: b.field,
          value: b.cidr,
          message: `overlaps ${a.cidr} (${a.env} ${a.field}); every range joins one Transit Gateway, so each needs its own`,
        });
      }
    });
  });
  return issues;
}

function checkAccounts(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const seen = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  const claim = (env: EnvironmentConfig, field: string, accountId: string, region: string) => {
    const key = `${accountId}/${region}`;
    const owner = seen.get(key);
    if (owner) {
      issues.push({
        environment: env.name,
        field,
        value: accountId,
        message: `account ${accountId} in ${region} is already used by ${owner}; each environment needs its own account`,
      });
    } else seen.set(key, `${env.name} ${field}`);
  };
  for (const env of envs) {
    claim(env, 'accountId', env.accountId, env.region);
    const accounts = env.organization?.accounts;
    if (accounts) {
      claim(env, 'organization.accounts.logArchive.accountId', accounts.logArchive.accountId, env.region);
      claim(env, 'organization.accounts.tooling.accountId', accounts.tooling.accountId, env.region);
    }
  }
  return issues;
}

function checkPromotionChain(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const inChain = envs.filter((env) => env.promotion);
  const byName = new Map(envs.map((env) => [env.name, env]));
  const issues: ConfigIssue[] = [];
  const starts = inChain.filter((env) => !env.promotion!.from);
  if (inChain.length > 0 && starts.length !== 1) {
    issues.push({
      environment: starts[1]?.name ?? inChain[0].name,
      field: 'promotion.from',
      message:
        starts.length === 0
          ? 'the promotion chain has no start: exactly one environment must have `promotion: {}` (no `from`)'
          : `the chain has several starts (${starts.map((env) => env.name).join(', ')}); all but one need \`from\``,
    });
  }
  const followers = new Map<string, string>();
  for (const env of inChain) {
    const from = env.promotion!.from;
    if (!from) continue;
    const source = byName.get(from);
    if (!source || !source.promotion) {
      const allowed = inChain.filter((other) => other !== env).map((other) => other.name);
      issues.push({ environment: env.name, field: 'promotion.from', value: from, message: `must name an environment of the chain: ${allowed.join(', ')}` });
      continue;
    }
    if (from === env.name) {
      issues.push({ environment: env.name, field: 'promotion.from', value: from, message: 'an environment cannot promote from itself' });
      continue;
    }
    const earlier = followers.get(from);
    if (earlier) {
      issues.push({ environment: env.name, field: 'promotion.from', value: from, message: `${earlier} already promotes from ${from}; the chain cannot fork` });
    }
    followers.set(from, env.name);
    if (tierRank(source.tier) > tierRank(env.tier)) {
      issues.push({ environment: env.name, field: 'promotion.from', value: from, message: `promotes from a higher tier (${source.tier} -> ${env.tier}); changes move dev -> staging -> prod` });
    }
  }
  if (issues.length === 0 && starts.length === 1) {
    const ordered = orderChain(inChain);
    if (ordered.length !== inChain.length) {
      const cyclic = inChain.filter((env) => !ordered.includes(env)).map((env) => env.name);
      issues.push({ environment: cyclic[0], field: 'promotion.from', message: `the chain has a cycle through ${cyclic.join(', ')}` });
    }
  }
  return issues;
}

function orderChain(inChain: readonly EnvironmentConfig[]): EnvironmentConfig[] {
  const ordered: EnvironmentConfig[] = [];
  let next = inChain.find((env) => !env.promotion!.from);
  while (next && !ordered.includes(next)) {
    ordered.push(next);
    const current: EnvironmentConfig = next;
    next = inChain.find((env) => env.promotion!.from === current.name);
  }
  return ordered;
}

function makePlatform(environments: EnvironmentConfig[]): Platform {
  const sorted = [...environments].sort((a, b) => a.name.localeCompare(b.name));
  const shared = sorted.find((env) => env.organization)!;
  const byName = new Map(sorted.map((env) => [env.name, env]));
  return {
    environments: sorted,
    shared,
    organization: shared.organization!,
    promotionChain: orderChain(sorted.filter((env) => env.promotion)),
    environment(name: string): EnvironmentConfig {
      const env = byName.get(name);
      if (!env) throw new Error(`unknown environment "${name}"; known: ${[...byName.keys()].join(', ')}`);
      return env;
    },
  };
}
