/**
 * Does a planned policy grant more than before? Reads the JSON policies of a change (any
 * top-level `policy`, `assume_role_policy` or `*_policy` attribute holding a JSON document) and
 * names what an `Allow` statement newly grants: a principal `*`, a principal of another account,
 * or a wildcard action (`*`, `s3:*`). Shown in the comment's security section, so a widened trust
 * or bucket policy is not buried in a one-line string.
 */
import type { JsonValue } from './plan-json';

type Json = JsonValue | undefined;

/** Attribute names that hold a JSON policy document. */
const POLICY_ATTRIBUTE = /^(policy|assume_role_policy|[a-z_]+_policy)$/;
/** An account id inside an ARN or given alone. */
const ACCOUNT_IN_PRINCIPAL = /^(?:arn:aws[\w-]*:iam::(\d{12}):.*|(\d{12}))$/;

function isObject(value: Json): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function parsePolicy(value: Json): Record<string, JsonValue> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value) as JsonValue;
    return isObject(parsed) && 'Statement' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Condition keys that limit who a `*` principal can be: such a statement is not open to anyone. */
const PRINCIPAL_LIMITING_KEYS = /^aws:(PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn|SourceAccount|SourceArn|SourceOrgID|SourceOwner)$/i;

interface Grant {
  readonly statement: string;
  /** True when a condition limits the principal (organization, account, source). */
  readonly principalLimited: boolean;
  readonly principals: readonly string[];
  readonly actions: readonly string[];
}

/** The Allow statements of a policy: who (`*`, `AWS:<arn>`, `Service:<name>`) may do what. */
function grants(policy: Record<string, JsonValue> | undefined): Grant[] {
  if (!policy) return [];
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements.filter(isObject).filter((statement) => statement.Effect === 'Allow').map((statement, index) => {
    const principal = statement.Principal;
    const principals =
      principal === '*'
        ? ['*']
        : isObject(principal)
          ? Object.entries(principal).flatMap(([kind, ids]) => strings(ids).map((id) => (id === '*' ? '*' : `${kind}:${id}`)))
          : [];
    const conditionKeys = isObject(statement.Condition)
      ? Object.values(statement.Condition).flatMap((operator) => (isObject(operator) ? Object.keys(operator) : []))
      : [];
    return {
      statement: typeof statement.Sid === 'string' && statement.Sid ? statement.Sid.replace(/[^\w.-]/g, '') : `#${index + 1}`,
      principalLimited: conditionKeys.some((key) => PRINCIPAL_LIMITING_KEYS.test(key)),
      principals,
      actions: strings(statement.Action),
    };
  });
}

function accountOf(principal: string): string | undefined {
  if (!principal.startsWith('AWS:')) return undefined;
  const match = ACCOUNT_IN_PRINCIPAL.exec(principal.slice(4));
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The account of the resource itself, from its ARN when the plan knows it. */
function ownAccount(value: Json): string | undefined {
  const arn = isObject(value) && typeof value.arn === 'string' ? value.arn : undefined;
  return arn ? /^arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1] : undefined;
}

/**
 * What the `after` policies grant that the `before` ones did not, in words (for example
 * `policy statement "Public" allows principal "*"`), one entry per finding; empty when nothing widened.
 * A new policy (nothing before) is reported only for a principal `*` no condition limits: its own
 * account is not known before apply, and every grant of a new policy is new.
 */
export function policyWidenings(before: Json, after: Json): string[] {
  if (!isObject(after)) return [];
  const own = ownAccount(before) ?? ownAccount(after);
  const findings: string[] = [];
  for (const [attribute, value] of Object.entries(after)) {
    if (!POLICY_ATTRIBUTE.test(attribute)) continue;
    const now = grants(parsePolicy(value));
    if (now.length === 0) continue;
    const previous = parsePolicy(isObject(before) ? before[attribute] : undefined);
    const was = grants(previous);
    const principalsBefore = new Set(was.flatMap((grant) => grant.principals));
    const accountsBefore = new Set([...principalsBefore].map(accountOf).filter((account): account is string => account !== undefined));
    const actionsBefore = new Set(was.flatMap((grant) => grant.actions));
    for (const grant of now) {
      const where = `${attribute} statement "${grant.statement}"`;
      for (const principal of grant.principals) {
        if (principalsBefore.has(principal)) continue;
        if (principal === '*' && !grant.principalLimited) findings.push(`${where} allows principal "*" (anyone)`);
        if (!previous) continue;
        const account = accountOf(principal);
        if (account && account !== own && !accountsBefore.has(account)) findings.push(`${where} allows account ${account} (${principal.slice(4)})`);
      }
      for (const action of previous ? grant.actions : []) {
        if (!actionsBefore.has(action) && (action === '*' || action.endsWith(':*'))) findings.push(`${where} allows action "${action}"`);
      }
    }
  }
  return [...new Set(findings)];
}
