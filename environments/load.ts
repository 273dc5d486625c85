/**
 * Discovers `environments/<name>/config.ts`, validates each against the schema, then checks
 * the environments against each other. Adding an environment is adding a directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ZodArray, ZodObject, ZodRecord, type ZodIssue, type ZodTypeAny } from 'zod';
import { codeFrameColumns } from '@babel/code-frame';
import { transformSync } from 'esbuild';
import { closest, distance } from 'fastest-levenshtein';
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

/**
 * Directories below `root` that hold no config file, each with what to do: every directory of
 * `environments/` is an environment, so one that yields none is a mistake (an empty copy, a
 * misnamed `Config.ts`), not something to skip. Hidden directories are left alone.
 */
export function directoriesWithoutConfig(root: string = DEFAULT_ENVIRONMENTS_DIR): ConfigIssue[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !fs.existsSync(path.join(root, entry.name, CONFIG_FILE)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => {
      const files = fs.readdirSync(path.join(root, entry.name));
      const nearest = files.length > 0 ? closest(CONFIG_FILE, files) : undefined;
      const message =
        nearest && distance(nearest.toLowerCase(), CONFIG_FILE) <= 3
          ? `missing, but there is ${nearest}: rename it to ${CONFIG_FILE} (the name is case-sensitive)`
          : `missing${files.length > 0 ? ` (the directory holds ${files.join(', ')})` : ' (the directory is empty)'}; every directory of environments/ is an environment: ` +
            `add ${CONFIG_FILE} with a default export typed EnvironmentInput (copy one from another environment) or remove the directory`;
      return { environment: entry.name, field: CONFIG_FILE, message, location: `environments/${entry.name}/` };
    });
}

/** Loads, validates and cross-checks every environment below `root`; throws one ConfigError listing all problems. */
export function loadPlatform(root: string = DEFAULT_ENVIRONMENTS_DIR): Platform {
  const strays = directoriesWithoutConfig(root);
  if (strays.length > 0) throw new ConfigError(strays);
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
    if (value instanceof ConfigSyntaxError) {
      issues.push({ environment: name, field: '', message: value.message, location: `environments/${name}/${CONFIG_FILE}:${value.line}:${value.column}` });
      continue;
    }
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
    return syntaxErrorOf(file) ?? new Error(`cannot be loaded for "${name}": ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A config file that does not parse: where, and the code frame that shows it. */
class ConfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * The first syntax error of a config file as TypeScript would show it: line, column (from 1),
 * the message and a code frame; undefined when the file parses. Checked with esbuild (the loader
 * of every npm script), whatever loader failed to load the file.
 */
function syntaxErrorOf(file: string): ConfigSyntaxError | undefined {
  const source = fs.readFileSync(file, 'utf8');
  try {
    transformSync(source, { loader: 'ts', sourcefile: file });
    return undefined;
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (!first?.location) return undefined;
    const { line, column } = first.location;
    // esbuild counts columns from 0, editors and code frames from 1.
    const frame = codeFrameColumns(source, { start: { line, column: column + 1 } }, { highlightCode: false });
    return new ConfigSyntaxError(`syntax error: ${first.text}\n${frame}`, line, column + 1);
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
  if (issue.code === 'unrecognized_keys') message = unknownFieldsMessage(issue.keys, knownFieldsAt(environmentSchema, issue.path));
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    message = message === 'Required' ? `is required (${issue.expected})` : message;
    value = undefined;
  }
  return { environment, field, value: issue.code === 'unrecognized_keys' ? undefined : value, message };
}

/** The fields an object of the config may hold at `at` (a path of a zod issue), by walking the schema. */
function knownFieldsAt(schema: ZodTypeAny, at: readonly (string | number)[]): string[] {
  const candidates = (type: ZodTypeAny): ZodTypeAny[] => {
    const def = type._def as { innerType?: ZodTypeAny; schema?: ZodTypeAny; in?: ZodTypeAny; getter?: () => ZodTypeAny; options?: ZodTypeAny[] | Map<unknown, ZodTypeAny> };
    if (def.innerType) return candidates(def.innerType); // optional, nullable, default, catch
    if (def.schema) return candidates(def.schema); // refine, transform
    if (def.in) return candidates(def.in); // pipe
    if (def.getter) return candidates(def.getter()); // lazy
    if (def.options) return [...def.options.values()].flatMap(candidates); // union, discriminated union
    return [type];
  };
  let types = candidates(schema);
  for (const key of at) {
    types = types.flatMap((type) => {
      if (type instanceof ZodObject) return type.shape[key] ? candidates(type.shape[key]) : [];
      if (type instanceof ZodRecord) return candidates(type._def.valueType);
      if (type instanceof ZodArray) return candidates(type._def.type);
      return [];
    });
  }
  return [...new Set(types.flatMap((type) => (type instanceof ZodObject ? Object.keys(type.shape) : [])))];
}

/** `unknown field vpcCidrr (did you mean vpcCidr?)`; the allowed fields when none is close. */
function unknownFieldsMessage(keys: readonly string[], known: readonly string[]): string {
  const described = keys.map((key) => {
    const nearest = known.length > 0 ? closest(key, [...known]) : undefined;
    const near = nearest !== undefined && distance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3));
    return near ? `${key} (did you mean ${nearest}?)` : key;
  });
  const suggested = described.some((text, index) => text !== keys[index]);
  const allowed = !suggested && known.length > 0 ? `; allowed here: ${known.join(', ')}` : '';
  return `unknown field${keys.length > 1 ? 's' : ''} ${described.join(', ')}${allowed}`;
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

/**
 * One promotion chain: one start, no forks, no cycles, never down a tier. When a new environment
 * breaks it (a copied directory keeps its original's place), the problem is reported on the
 * newcomer's file, not on the environments it collides with: of two starts or two branches of a
 * fork, the one that carries the shorter chain is taken to be the new one (on a tie, the later
 * name), and the message says both ways out: out of the chain, or in line at a named place.
 */
function checkPromotionChain(envs: readonly EnvironmentConfig[]): ConfigIssue[] {
  const inChain = envs.filter((env) => env.promotion);
  const byName = new Map(envs.map((env) => [env.name, env]));
  const issues: ConfigIssue[] = [];
  const starts = inChain.filter((env) => !env.promotion!.from);
  const lineFrom = (first: EnvironmentConfig) => chainFrom(first, inChain);
  if (inChain.length > 0 && starts.length === 0) {
    issues.push({
      environment: inChain[0].name,
      field: 'promotion.from',
      message: 'the promotion chain has no start: exactly one environment must have `promotion: {}` (no `from`)',
    });
  }
  if (starts.length > 1) {
    const [main, ...others] = longestFirst(starts.map(lineFrom));
    for (const other of others) {
      const newcomer = other[0];
      issues.push({
        environment: newcomer.name,
        field: 'promotion.from',
        message:
          `the chain has several starts (${starts.map((env) => env.name).join(', ')}): ${newcomer.name} starts a chain of its own beside ${chainText(main)}. ` +
          `Take ${newcomer.name} out of the chain (delete \`promotion\` here: it is then deployed on its own, as shared is) ` +
          `or give it a \`from\`: ${placeInLine(newcomer, main)}`,
      });
    }
  }
  const followers = new Map<string, EnvironmentConfig[]>();
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
    followers.set(from, [...(followers.get(from) ?? []), env]);
    if (tierRank(source.tier) > tierRank(env.tier)) {
      issues.push({ environment: env.name, field: 'promotion.from', value: from, message: `promotes from a higher tier (${source.tier} -> ${env.tier}); changes move dev -> staging -> prod` });
    }
  }
  for (const [from, branches] of followers) {
    if (branches.length < 2) continue;
    const [kept, ...forks] = longestFirst(branches.map(lineFrom));
    const main = [...lineTo(byName.get(from)!, byName), ...kept];
    for (const fork of forks) {
      const newcomer = fork[0];
      issues.push({
        environment: newcomer.name,
        field: 'promotion.from',
        value: from,
        message:
          `${kept[0].name} already promotes from ${from}; the chain cannot fork (${chainText(main)} is the chain). ` +
          `Take ${newcomer.name} out of the chain (delete \`promotion\` here) or put it in line: ${placeInLine(newcomer, main)}`,
      });
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

/** `first` and the environments that follow it (the first follower at a fork; stops at a cycle). */
function chainFrom(first: EnvironmentConfig, inChain: readonly EnvironmentConfig[]): EnvironmentConfig[] {
  const line: EnvironmentConfig[] = [];
  for (let next: EnvironmentConfig | undefined = first; next && !line.includes(next); ) {
    line.push(next);
    const current: EnvironmentConfig = next;
    next = inChain.find((env) => env.promotion?.from === current.name);
  }
  return line;
}

/** The environments before `last` (its `from`, their `from`, ...) and `last` excluded, first to last. */
function lineTo(last: EnvironmentConfig, byName: ReadonlyMap<string, EnvironmentConfig>): EnvironmentConfig[] {
  const line: EnvironmentConfig[] = [];
  for (let env: EnvironmentConfig | undefined = last; env && !line.includes(env); env = env.promotion?.from ? byName.get(env.promotion.from) : undefined) {
    line.unshift(env);
  }
  return line;
}

/** Longest chain first; on a tie, the one whose first environment sorts first. */
function longestFirst(lines: EnvironmentConfig[][]): EnvironmentConfig[][] {
  return [...lines].sort((a, b) => b.length - a.length || a[0].name.localeCompare(b[0].name));
}

function chainText(line: readonly EnvironmentConfig[]): string {
  return line.map((env) => env.name).join(' -> ');
}

/**
 * Where `newcomer` fits in `line` by tier (after the last environment of a tier not above its
 * own), as the edit that puts it there.
 */
function placeInLine(newcomer: EnvironmentConfig, line: readonly EnvironmentConfig[]): string {
  const others = line.filter((env) => env !== newcomer);
  let at = 0;
  while (at < others.length && tierRank(others[at].tier) <= tierRank(newcomer.tier)) at++;
  if (at === 0) return `${newcomer.name} (tier ${newcomer.tier}) would come first, before ${others[0].name}: make it the start (\`promotion: {}\`) and set \`promotion: { from: '${newcomer.name}' }\` in environments/${others[0].name}/${CONFIG_FILE}`;
  const before = others[at - 1];
  const after = others[at];
  if (!after) return `\`promotion: { from: '${before.name}' }\` appends it after ${before.name}`;
  return `between ${before.name} and ${after.name} (by tier), \`promotion: { from: '${before.name}' }\` here and \`promotion: { from: '${newcomer.name}' }\` in environments/${after.name}/${CONFIG_FILE}`;
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
