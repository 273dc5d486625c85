/**
 * Every IAM policy of the synthesized stacks, resolved, and what it is attached to: identity
 * policies by role, trust policies, resource policies by the ARN they protect (buckets, keys,
 * secrets, topics, repositories, log resource policies), plus the vended roles of
 * stacks/account-vending.ts and every role assumption a stack makes (provider, backend, remote
 * state).
 */
import { vendedRoles, type VendedRoleKind } from '../../stacks/account-vending';
import { roleArn } from '../../modules/core/shared-names';
import { type Json, type SynthesizedPlatform, UnresolvedReference } from './synthesized-platform';

export type PolicyKind = 'identity' | 'trust' | 's3-bucket' | 'kms-key' | 'secret' | 'sns-topic' | 'logs-resource' | 'ecr-repository' | 'event-bus';

export interface PolicyRecord {
  /** `<stack>:<type>.<name>.<attribute>`, or `vended:<role arn>` for vending's trust policies. */
  readonly id: string;
  readonly kind: PolicyKind;
  /** Stack and address of the resource that holds the policy (unset: vended and AWS managed policies). */
  readonly stack?: string;
  readonly address?: string;
  readonly accountId: string;
  readonly region: string;
  readonly document: Json;
  /** The ARN a resource or trust policy protects (unset: identity policies, account-wide log policies). */
  readonly resourceArn?: string;
}

export interface RoleRecord {
  readonly arn: string;
  readonly accountId: string;
  readonly trust: PolicyRecord;
  readonly identityPolicies: readonly PolicyRecord[];
  /** AWS managed policies attached whose content is not modeled here: a Deny can't be proven for such a role. */
  readonly unmodeledManagedPolicies: readonly string[];
  readonly vended?: VendedRoleKind;
}

/** A role a stack's Terraform assumes: a provider, the S3 backend, or a `terraform_remote_state` read. */
export interface RoleAssumption {
  /** `<stack>:provider.aws.<alias>`, `<stack>:backend`, `<stack>:data.terraform_remote_state.<name>` */
  readonly id: string;
  readonly stack: string;
  readonly roleArn: string;
  readonly kind: 'provider' | 'backend' | 'remote-state';
}

/** Attributes that hold an access policy, by resource type, and the kind of policy. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, PolicyKind>>>> = {
  aws_iam_role: { assume_role_policy: 'trust' },
  aws_iam_role_policy: { policy: 'identity' },
  aws_iam_policy: { policy: 'identity' },
  aws_s3_bucket_policy: { policy: 's3-bucket' },
  aws_kms_key: { policy: 'kms-key' },
  aws_kms_replica_key: { policy: 'kms-key' },
  aws_secretsmanager_secret: { policy: 'secret' },
  aws_secretsmanager_secret_policy: { policy: 'secret' },
  aws_sns_topic_policy: { policy: 'sns-topic' },
  aws_sns_topic: { policy: 'sns-topic' },
  aws_cloudwatch_log_resource_policy: { policy_document: 'logs-resource' },
  aws_ecr_repository_policy: { policy: 'ecr-repository' },
  aws_cloudwatch_event_bus_policy: { policy: 'event-bus' },
};

/** Attributes that look like policies but grant no access. */
export const NOT_ACCESS_POLICIES: Readonly<Record<string, readonly string[]>> = {
  aws_ecr_lifecycle_policy: ['policy'],
};

/**
 * Attributes of the synthesized resources that hold a policy document (a string with a
 * `Statement`) the inventory does not read: each needs an entry in POLICY_ATTRIBUTES (and
 * contracts), or in NOT_ACCESS_POLICIES.
 */
export function unreadPolicyAttributes(synthesized: SynthesizedPlatform): string[] {
  const unread: string[] = [];
  for (const [stack, type, name, body] of synthesized.allResources()) {
    for (const [attribute, value] of Object.entries(body)) {
      if (POLICY_ATTRIBUTES[type]?.[attribute] || NOT_ACCESS_POLICIES[type]?.includes(attribute)) continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (/"?Statement"?\s*[:=]/.test(text)) unread.push(`${stack}:${type}.${name}.${attribute}`);
    }
  }
  return unread;
}

/**
 * AWS managed policies the contracts model. `complete: false` is the subset of a larger policy the
 * contracts rely on: its role is also listed as unmodeled, so no Deny is ever claimed from it.
 */
const MODELED_MANAGED_POLICIES: Readonly<Record<string, { readonly complete: boolean; readonly document: Json }>> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': { complete: true, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
  'arn:aws:iam::aws:policy/ReadOnlyAccess': {
    complete: false,
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' }] },
  },
};

export class PolicyInventory {
  readonly policies: PolicyRecord[] = [];
  readonly roles = new Map<string, RoleRecord>();
  readonly assumptions: RoleAssumption[] = [];
  /** OIDC providers of the stacks, by ARN (their host prefixes the condition keys of web-identity trust). */
  readonly oidcProviders = new Map<string, string>();
  /** Account of every synthesized bucket, by bucket name. */
  private readonly buckets = new Map<string, string>();

  constructor(readonly synthesized: SynthesizedPlatform) {
    const identity = new Map<string, { policies: PolicyRecord[]; managed: string[] }>();
    const attach = (role: string) => identity.get(role) ?? identity.set(role, { policies: [], managed: [] }).get(role)!;
    const standalone = new Map<string, PolicyRecord>();
    const trusts: { arn: string; accountId: string; record: PolicyRecord }[] = [];

    for (const [stack, type, name, body] of synthesized.allResources()) {
      const address = `${type}.${name}`;
      for (const [attribute, kind] of Object.entries(POLICY_ATTRIBUTES[type] ?? {})) {
        if (typeof body[attribute] !== 'string') continue;
        const { accountId, region } = synthesized.placement(stack, address);
        const id = `${stack}:${address}.${attribute}`;
        const document = synthesized.policy(stack, address, attribute);
        const record: PolicyRecord = { id, kind, stack, address, accountId, region, document, resourceArn: this.protectedArn(stack, address, kind, body) };
        this.policies.push(record);
        if (type === 'aws_iam_role') trusts.push({ arn: record.resourceArn!, accountId, record });
        if (type === 'aws_iam_role_policy') attach(this.roleOf(stack, address, body.role)).policies.push(record);
        if (type === 'aws_iam_policy') standalone.set(synthesized.resolveString(stack, id, `\${${address}.arn}`), record);
      }
      if (type === 'aws_s3_bucket') this.buckets.set(synthesized.resolveString(stack, address, `\${${address}.bucket}`), synthesized.placement(stack, address).accountId);
      if (type === 'aws_iam_openid_connect_provider') {
        this.oidcProviders.set(synthesized.resolveString(stack, address, `\${${address}.arn}`), String(body.url).replace(/^https:\/\//, ''));
      }
    }
    for (const [stack, type, name, body] of synthesized.allResources()) {
      if (type !== 'aws_iam_role_policy_attachment') continue;
      const address = `${type}.${name}`;
      const policyArn = synthesized.resolveString(stack, address, body.policy_arn);
      const target = attach(this.roleOf(stack, address, body.role));
      const document = standalone.get(policyArn) ?? this.managed(policyArn);
      if (document) target.policies.push(document);
      if (!document || !MODELED_MANAGED_POLICIES[policyArn]?.complete && !standalone.has(policyArn)) target.managed.push(policyArn);
    }
    for (const { arn, accountId, record } of trusts) {
      const attached = identity.get(arn) ?? { policies: [], managed: [] };
      this.roles.set(arn, { arn, accountId, trust: record, identityPolicies: attached.policies, unmodeledManagedPolicies: attached.managed });
    }
    for (const [role] of identity) {
      if (!this.roles.has(role)) throw new UnresolvedReference(role, 'identity policies', 'attached to a role that no stack creates');
    }
    for (const vended of vendedRoles(synthesized.platform)) {
      if (this.roles.has(vended.arn)) throw new Error(`${vended.arn} is both vended (stacks/account-vending.ts) and synthesized`);
      const trust: PolicyRecord = { id: `vended:${vended.arn}`, kind: 'trust', accountId: vended.accountId, region: 'global', document: vended.trustPolicy as Json, resourceArn: vended.arn };
      const managed = vended.managedPolicyArns.map((arn) => ({ arn, document: this.managed(arn) }));
      this.roles.set(vended.arn, {
        arn: vended.arn,
        accountId: vended.accountId,
        trust,
        identityPolicies: managed.filter((m) => m.document).map((m) => m.document!),
        unmodeledManagedPolicies: managed.filter((m) => !MODELED_MANAGED_POLICIES[m.arn]?.complete).map((m) => m.arn),
        vended: vended.kind,
      });
    }
    this.collectAssumptions();
  }

  /** The resource policy that governs `resourceArn` (an S3 object's bucket, a key, a secret, a topic, a repository, a role's trust). */
  resourcePolicyFor(resourceArn: string): PolicyRecord | undefined {
    const role = this.roles.get(resourceArn);
    if (role) return role.trust;
    const bucket = /^arn:aws:s3:::([^/]+)/.exec(resourceArn);
    const governed = bucket ? `arn:aws:s3:::${bucket[1]}` : resourceArn;
    const logs = /^arn:aws:logs:([^:]+):(\d{12}):/.exec(resourceArn);
    if (logs) return this.logsPolicy(logs[2], logs[1]);
    return this.policies.find((p) => p.kind !== 'identity' && p.kind !== 'trust' && p.resourceArn === governed);
  }

  /** The account that owns `resourceArn`, from the synthesized buckets where the ARN has none (S3). */
  ownerAccount(resourceArn: string): string | undefined {
    const fromArn = resourceArn.split(':')[4];
    if (fromArn) return fromArn;
    const bucket = /^arn:aws:s3:::([^/]+)/.exec(resourceArn);
    return bucket ? this.buckets.get(bucket[1]) : undefined;
  }

  /** All log resource policies of an account and region apply to every log group there: one document of all their statements. */
  private logsPolicy(accountId: string, region: string): PolicyRecord | undefined {
    const all = this.policies.filter((p) => p.kind === 'logs-resource' && p.accountId === accountId && p.region === region);
    if (all.length === 0) return undefined;
    if (all.length === 1) return all[0];
    throw new Error(`${all.map((p) => p.id).join(', ')}: several log resource policies in ${accountId}/${region}; the evaluator takes one (merge them)`);
  }

  private managed(arn: string): PolicyRecord | undefined {
    const modeled = MODELED_MANAGED_POLICIES[arn];
    return modeled ? { id: arn, kind: 'identity', accountId: 'aws', region: 'global', document: modeled.document } : undefined;
  }

  /** ARN of the role a `role` attribute (name or reference) names, in the stack's account. */
  private roleOf(stack: string, address: string, role: unknown): string {
    if (typeof role !== 'string') throw new UnresolvedReference(`${stack}:${address}`, 'role', 'not set');
    const name = this.synthesized.resolveString(stack, `${stack}:${address}.role`, role);
    return name.startsWith('arn:') ? name : roleArn(this.synthesized.placement(stack, address).accountId, name);
  }

  private protectedArn(stack: string, address: string, kind: PolicyKind, body: Json): string | undefined {
    const where = `${stack}:${address}`;
    const self = (attribute: string) => this.synthesized.resolveString(stack, where, `\${${address}.${attribute}}`);
    switch (kind) {
      case 'trust':
      case 'kms-key':
        return self('arn');
      case 'secret':
        return address.startsWith('aws_secretsmanager_secret_policy.') ? this.synthesized.resolveString(stack, where, body.secret_arn) : self('arn');
      case 's3-bucket':
        return `arn:aws:s3:::${this.synthesized.resolveString(stack, where, body.bucket)}`;
      case 'sns-topic':
        return address.startsWith('aws_sns_topic.') ? self('arn') : this.synthesized.resolveString(stack, where, body.arn);
      case 'event-bus': {
        const { accountId, region } = this.synthesized.placement(stack, address);
        return `arn:aws:events:${region}:${accountId}:event-bus/${body.event_bus_name === undefined ? 'default' : this.synthesized.resolveString(stack, where, body.event_bus_name)}`;
      }
      case 'ecr-repository': {
        const { accountId, region } = this.synthesized.placement(stack, address);
        return `arn:aws:ecr:${region}:${accountId}:repository/${this.synthesized.resolveString(stack, where, body.repository)}`;
      }
      default:
        return undefined;
    }
  }

  private collectAssumptions(): void {
    const synthesized = this.synthesized;
    for (const stack of synthesized.stackNames) {
      for (const provider of synthesized.providers(stack)) {
        for (const role of provider.assumeRoleArns) this.assumptions.push({ id: `${stack}:provider.${provider.name}`, stack, roleArn: role, kind: 'provider' });
      }
      const backend = synthesized.stacks[stack].terraform?.backend?.s3;
      if (backend?.assume_role?.role_arn) this.assumptions.push({ id: `${stack}:backend`, stack, roleArn: backend.assume_role.role_arn, kind: 'backend' });
      for (const [name, remote] of Object.entries<Json>(synthesized.stacks[stack].data?.terraform_remote_state ?? {})) {
        const role = remote.config?.assume_role?.role_arn;
        if (role) this.assumptions.push({ id: `${stack}:data.terraform_remote_state.${name}`, stack, roleArn: role, kind: 'remote-state' });
      }
    }
  }
}
