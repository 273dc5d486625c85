/**
 * The AWS provider's schema (`terraform providers schema -json`, read once and cached): types
 * of attributes for mock values, which resource types carry an ARN, and the provider block for
 * checking every stack's provider configuration without starting a provider per configuration.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTerraform } from './terraform-cli';

/** Attribute types by `<resource type>` / `data.<type>` and attribute name. */
export type AttributeTypes = (address: string, attribute: string) => unknown;

interface SchemaBlock {
  attributes?: Record<string, { type?: unknown; required?: boolean; computed?: boolean }>;
  block_types?: Record<string, { block: SchemaBlock; nesting_mode?: string }>;
}

export interface ProviderSchema {
  readonly attributeType: AttributeTypes;
  /** Resource types (`aws_lb`) whose schema has an `arn` attribute. */
  hasArn(resourceType: string): boolean;
  /** What in a provider configuration the provider would reject: unknown arguments or blocks. */
  providerConfigProblems(config: Readonly<Record<string, unknown>>): string[];
}

export class SchemaUnavailableError extends Error {}

/** Reads (and caches in `cache`) the schema of the provider initialized in `workdir`. */
export async function loadProviderSchema(workdir: string, env: NodeJS.ProcessEnv, cache: string): Promise<ProviderSchema> {
  if (!fs.existsSync(cache)) {
    const run = await runTerraform(['providers', 'schema', '-json'], { cwd: workdir, env });
    if (run.code !== 0) throw new SchemaUnavailableError(`terraform providers schema failed:\n${run.stderr.trim().split('\n').slice(-10).join('\n')}`);
    // Written aside and renamed: several runs may share one cache file.
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    const partial = `${cache}.${process.pid}.partial`;
    fs.writeFileSync(partial, run.stdout);
    fs.renameSync(partial, cache);
  }
  return fromSchemaJson(JSON.parse(fs.readFileSync(cache, 'utf8')));
}

export function fromSchemaJson(schema: any): ProviderSchema {
  const aws = Object.values<any>(schema.provider_schemas ?? {})[0] ?? {};
  const resources: Record<string, { block: SchemaBlock }> = aws.resource_schemas ?? {};
  const dataSources: Record<string, { block: SchemaBlock }> = aws.data_source_schemas ?? {};
  const providerBlock: SchemaBlock = aws.provider?.block ?? {};
  return {
    attributeType: (address, attribute) => {
      const [table, type] = address.startsWith('data.') ? [dataSources, address.slice(5)] : [resources, address];
      return table[type]?.block?.attributes?.[attribute]?.type;
    },
    hasArn: (type) => resources[type]?.block?.attributes?.arn !== undefined,
    providerConfigProblems: (config) => blockProblems(config, providerBlock, 'provider "aws"'),
  };
}

const META_ARGUMENTS = new Set(['alias', 'version']);

function blockProblems(config: Readonly<Record<string, unknown>>, block: SchemaBlock, where: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (META_ARGUMENTS.has(key) && where === 'provider "aws"') continue;
    if (block.attributes?.[key]) continue;
    const nested = block.block_types?.[key];
    if (!nested) {
      problems.push(`${where}: unsupported argument "${key}"`);
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item && typeof item === 'object') problems.push(...blockProblems(item as Record<string, unknown>, nested.block, `${where}.${key}`));
    }
  }
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.required && !(name in config)) problems.push(`${where}: missing required argument "${name}"`);
  }
  return problems;
}

/**
 * A mock ARN that the provider's validators accept for a resource type (`arn:partition:service:
 * region:account:resource`, with the resource part IAM, S3 and load balancers expect).
 */
export function mockArn(resourceType: string, region = 'eu-west-1', account = '123456789012'): string {
  const name = resourceType.replace(/^aws_/, '');
  if (name.startsWith('iam_')) return `arn:aws:iam::${account}:${name.replace(/^iam_/, '').replace(/_/g, '-')}/mock`;
  if (name.startsWith('s3_')) return `arn:aws:s3:::mock-${name.replace(/_/g, '-')}`;
  if (name === 'lb' || name === 'alb') return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/mock/0123456789abcdef`;
  if (name === 'lb_target_group' || name === 'alb_target_group') return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/mock/0123456789abcdef`;
  if (name.startsWith('lb_listener')) return `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/mock/0123456789abcdef/0123456789abcdef`;
  if (name.startsWith('wafv2_')) return `arn:aws:wafv2:${region}:${account}:regional/${name.replace(/^wafv2_/, '').replace(/_/g, '')}/mock/00000000-0000-0000-0000-000000000000`;
  const service = name.split('_')[0];
  return `arn:aws:${service}:${region}:${account}:${name.replace(/_/g, '-')}/mock`;
}
