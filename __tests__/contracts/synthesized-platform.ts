/**
 * The synthesized stacks as the access contracts read them: one fresh synth into a temporary
 * directory, and the values Terraform would compute at apply time (ARNs, key ids, secret
 * suffixes) built from names, regions and account ids.
 *
 * A reference this file cannot resolve is an error naming the stack, the address and the
 * expression: a contract built on a value nobody can compute proves nothing, so it must fail,
 * never pass.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Platform } from '../../environments/load';
import { stackJsonPath, synthesize } from '../../tools/synth/synthesize';
import { readJsonDocument } from '../helpers/json-document';

export type Json = Record<string, any>;

/** A reference or value that cannot be turned into what AWS would see. */
export class UnresolvedReference extends Error {
  constructor(where: string, expression: string, why: string) {
    super(`${where}: cannot resolve ${expression}: ${why}`);
    this.name = 'UnresolvedReference';
  }
}

/** Where a resource lives: the account and region of the provider that creates it. */
export interface Placement {
  readonly accountId: string;
  readonly region: string;
}

/** One AWS provider block of a stack. */
export interface ProviderBlock extends Placement {
  readonly stack: string;
  /** `aws` or `aws.<alias>` */
  readonly name: string;
  readonly assumeRoleArns: readonly string[];
}

export class SynthesizedPlatform {
  /** Parsed `cdk.tf.json` per stack name. */
  readonly stacks: Readonly<Record<string, Json>>;

  constructor(
    readonly platform: Platform,
    stacks: Record<string, Json>,
  ) {
    this.stacks = stacks;
  }

  get stackNames(): string[] {
    return Object.keys(this.stacks);
  }

  /** `[address, body]` of every resource of one type in one stack (`address` = `type.name`). */
  resources(stack: string, type: string): [string, Json][] {
    return Object.entries<Json>(this.stacks[stack].resource?.[type] ?? {}).map(([name, body]) => [`${type}.${name}`, body]);
  }

  /** Every resource of every stack: `[stack, type, name, body]`. */
  *allResources(): Generator<[string, string, string, Json]> {
    for (const stack of this.stackNames) {
      for (const [type, byName] of Object.entries<Record<string, Json>>(this.stacks[stack].resource ?? {})) {
        for (const [name, body] of Object.entries(byName)) yield [stack, type, name, body];
      }
    }
  }

  resource(stack: string, address: string): Json {
    const [type, name] = address.split('.');
    const body = this.stacks[stack]?.resource?.[type]?.[name];
    if (!body) throw new UnresolvedReference(stack, address, 'no such resource in the synthesized stack');
    return body;
  }

  providers(stack: string): ProviderBlock[] {
    return ((this.stacks[stack].provider?.aws ?? []) as Json[]).map((block) => {
      const name = block.alias ? `aws.${block.alias}` : 'aws';
      const accountId = block.allowed_account_ids?.[0];
      if (!accountId) throw new UnresolvedReference(stack, `provider ${name}`, 'no allowed_account_ids: the account of its resources is unknown');
      const assumed = [block.assume_role ?? []].flat() as Json[];
      return { stack, name, accountId, region: block.region, assumeRoleArns: assumed.map((role) => role.role_arn).filter(Boolean) };
    });
  }

  /** Account and region of a resource, from the provider it names (`provider = "aws.us_east_1"`) or the default one. */
  placement(stack: string, address: string): Placement {
    const body = this.resource(stack, address);
    const name = body.provider ?? 'aws';
    const provider = this.providers(stack).find((p) => p.name === name);
    if (!provider) throw new UnresolvedReference(stack, address, `its provider ${name} is not configured`);
    return { accountId: provider.accountId, region: provider.region };
  }

  /** A policy attribute as a document, every `${...}` in it resolved; `where` names it in errors. */
  policy(stack: string, address: string, attribute: string): Json {
    const text = this.resource(stack, address)[attribute];
    if (typeof text !== 'string') throw new UnresolvedReference(`${stack}:${address}`, attribute, 'not a policy string');
    return this.resolveDeep(stack, `${stack}:${address}.${attribute}`, readJsonDocument(text));
  }

  /** `value` with every string's `${...}` references replaced by what Terraform would compute. */
  resolveDeep(stack: string, where: string, value: unknown): any {
    if (typeof value === 'string') return this.resolveString(stack, where, value);
    if (Array.isArray(value)) return value.map((item) => this.resolveDeep(stack, where, item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.resolveString(stack, where, key), this.resolveDeep(stack, where, item)]));
    }
    return value;
  }

  /** A string with `${...}` interpolations resolved; anything but a plain reference is an error. */
  resolveString(stack: string, where: string, text: string): string {
    return text.replace(/\$\{([^{}]*)\}/g, (_, expression: string) => this.resolveExpression(stack, where, expression.trim()));
  }

  private resolveExpression(stack: string, where: string, expression: string): string {
    const remote = /^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (remote) return this.resolveRemoteOutput(stack, where, remote[1], remote[2]);
    const local = /^([a-z0-9_]+)\.([\w-]+)\.([a-z0-9_]+)$/.exec(expression);
    if (!local) throw new UnresolvedReference(where, `\${${expression}}`, 'not a plain reference to a resource attribute');
    const [, type, name, attribute] = local;
    const address = `${type}.${name}`;
    const body = this.stacks[stack].resource?.[type]?.[name];
    if (!body) throw new UnresolvedReference(where, `\${${expression}}`, `${stack} has no resource ${address}`);
    // An argument set in the configuration reads back as configured.
    if (typeof body[attribute] === 'string' && !COMPUTED[type]?.[attribute]) return this.resolveString(stack, `${where} -> ${address}.${attribute}`, body[attribute]);
    const computed = COMPUTED[type]?.[attribute];
    if (!computed) throw new UnresolvedReference(where, `\${${expression}}`, `no rule computes ${type}.${attribute} (add one to COMPUTED in __tests__/contracts/synthesized-platform.ts)`);
    return computed({ platform: this, stack, address, body, where });
  }

  private resolveRemoteOutput(stack: string, where: string, remote: string, output: string): string {
    const config = this.stacks[stack].data?.terraform_remote_state?.[remote]?.config;
    if (!config) throw new UnresolvedReference(where, `data.terraform_remote_state.${remote}`, `no such remote state in ${stack}`);
    const producer = this.stackNames.find((name) => this.stacks[name].terraform?.backend?.s3?.key === config.key);
    if (!producer) throw new UnresolvedReference(where, `data.terraform_remote_state.${remote}`, `no synthesized stack writes state ${config.key}`);
    const value = this.stacks[producer].output?.[output]?.value;
    if (typeof value !== 'string') throw new UnresolvedReference(where, `${producer} output ${output}`, 'missing or not a string');
    return this.resolveString(producer, `${producer}:output.${output}`, value);
  }

  /** The resource whose attribute `text` is, when `text` is exactly one reference (`${aws_kms_key.k.arn}`) or a remote output of one. */
  referencedResource(stack: string, text: unknown): { stack: string; address: string } | undefined {
    if (typeof text !== 'string') return undefined;
    const local = /^\$\{([a-z0-9_]+\.[\w-]+)\.[a-z0-9_]+\}$/.exec(text);
    if (local && !local[1].startsWith('data.')) return { stack, address: local[1] };
    const remote = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(text);
    if (!remote) return undefined;
    const key = this.stacks[stack].data?.terraform_remote_state?.[remote[1]]?.config?.key;
    const producer = this.stackNames.find((name) => this.stacks[name].terraform?.backend?.s3?.key === key);
    return producer ? this.referencedResource(producer, this.stacks[producer].output?.[remote[2]]?.value) : undefined;
  }
}

interface ComputeInput {
  readonly platform: SynthesizedPlatform;
  readonly stack: string;
  readonly address: string;
  readonly body: Json;
  readonly where: string;
}
type Compute = (input: ComputeInput) => string;

/** A stable, made-up identifier where AWS generates one (key ids, secret suffixes), so ARNs built twice agree. */
export function generatedId(seed: string, length: number, alphabet = '0123456789abcdef'): string {
  const bytes = crypto.createHash('sha256').update(seed).digest();
  return Array.from({ length }, (_, index) => alphabet[bytes[index % bytes.length] % alphabet.length]).join('');
}

/** A KMS key id (`1234abcd-12ab-34cd-56ef-1234567890ab`); multi-Region keys start with `mrk-`. */
function keyId(stack: string, address: string, multiRegion: boolean): string {
  const hex = generatedId(`${stack}:${address}`, 32);
  return multiRegion ? `mrk-${hex}` : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function literal(input: ComputeInput, attribute: string): string {
  const value = input.body[attribute];
  if (typeof value !== 'string') throw new UnresolvedReference(input.where, `${input.address}.${attribute}`, 'not set as a literal in the synthesized JSON');
  return input.platform.resolveString(input.stack, input.where, value);
}

const placed = (input: ComputeInput) => input.platform.placement(input.stack, input.address);

const kmsKeyArn: Compute = (input) => {
  const { accountId, region } = placed(input);
  return `arn:aws:kms:${region}:${accountId}:key/${keyId(input.stack, input.address, input.body.multi_region === true)}`;
};

/** A replica keeps the key id of its primary, in its own Region. */
const replicaKeyArn: Compute = (input) => {
  const primary = literal(input, 'primary_key_arn');
  const { accountId, region } = placed(input);
  return `arn:aws:kms:${region}:${accountId}:key/${primary.split('/').pop()}`;
};

const roleArnOf: Compute = (input) => `arn:aws:iam::${placed(input).accountId}:role${input.body.path ?? '/'}${literal(input, 'name')}`;

const secretArn: Compute = (input) => {
  const { accountId, region } = placed(input);
  const name = literal(input, 'name');
  // Secrets Manager appends a hyphen and six random characters to the name.
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${generatedId(`${input.stack}:${input.address}`, 6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
};

const logGroupArn: Compute = (input) => {
  const { accountId, region } = placed(input);
  return `arn:aws:logs:${region}:${accountId}:log-group:${literal(input, 'name')}`;
};

/** How Terraform computes each attribute the contracts need, by resource type. */
const COMPUTED: Record<string, Record<string, Compute>> = {
  aws_s3_bucket: {
    arn: (input) => `arn:aws:s3:::${literal(input, 'bucket')}`,
    id: (input) => literal(input, 'bucket'),
    bucket: (input) => literal(input, 'bucket'),
  },
  aws_kms_key: { arn: kmsKeyArn, key_id: (input) => kmsKeyArn(input).split('/').pop()!, id: (input) => kmsKeyArn(input).split('/').pop()! },
  aws_kms_replica_key: { arn: replicaKeyArn, key_id: (input) => replicaKeyArn(input).split('/').pop()! },
  aws_kms_alias: {
    arn: (input) => `arn:aws:kms:${placed(input).region}:${placed(input).accountId}:${literal(input, 'name')}`,
    name: (input) => literal(input, 'name'),
  },
  aws_iam_role: { arn: roleArnOf, name: (input) => literal(input, 'name'), id: (input) => literal(input, 'name') },
  aws_iam_policy: {
    arn: (input) => `arn:aws:iam::${placed(input).accountId}:policy${input.body.path ?? '/'}${literal(input, 'name')}`,
    id: (input) => `arn:aws:iam::${placed(input).accountId}:policy${input.body.path ?? '/'}${literal(input, 'name')}`,
  },
  aws_iam_openid_connect_provider: {
    arn: (input) => `arn:aws:iam::${placed(input).accountId}:oidc-provider/${literal(input, 'url').replace(/^https:\/\//, '')}`,
  },
  aws_secretsmanager_secret: { arn: secretArn, id: secretArn, name: (input) => literal(input, 'name') },
  aws_cloudwatch_log_group: { arn: logGroupArn, name: (input) => literal(input, 'name') },
  aws_sns_topic: {
    arn: (input) => `arn:aws:sns:${placed(input).region}:${placed(input).accountId}:${literal(input, 'name')}`,
    name: (input) => literal(input, 'name'),
  },
  aws_ecr_repository: {
    arn: (input) => `arn:aws:ecr:${placed(input).region}:${placed(input).accountId}:repository/${literal(input, 'name')}`,
    name: (input) => literal(input, 'name'),
    id: (input) => literal(input, 'name'),
  },
  aws_cloudtrail: {
    arn: (input) => `arn:aws:cloudtrail:${placed(input).region}:${placed(input).accountId}:trail/${literal(input, 'name')}`,
  },
  aws_ec2_transit_gateway_route_table: {
    arn: (input) => `arn:aws:ec2:${placed(input).region}:${placed(input).accountId}:transit-gateway-route-table/tgw-rtb-${generatedId(`${input.stack}:${input.address}`, 17)}`,
  },
  aws_wafv2_web_acl: {
    arn: (input) => {
      const scope = literal(input, 'scope') === 'CLOUDFRONT' ? 'global' : 'regional';
      const region = scope === 'global' ? 'us-east-1' : placed(input).region;
      return `arn:aws:wafv2:${region}:${placed(input).accountId}:${scope}/webacl/${literal(input, 'name')}/${generatedId(`${input.stack}:${input.address}`, 36)}`;
    },
  },
};

/** Synthesizes every shipped environment once into a temporary directory and reads the stacks back. */
export function synthesizePlatform(): { synthesized: SynthesizedPlatform; cleanup: () => void } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'access-contracts-'));
  const result = synthesize({ outdir });
  const stacks = Object.fromEntries(result.stacks.map((stack) => [stack.name, JSON.parse(fs.readFileSync(stackJsonPath(result.outdir, stack.name), 'utf8'))]));
  return { synthesized: new SynthesizedPlatform(result.platform, stacks), cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }) };
}
