/**
 * IAM policy documents as the rules see them, whichever way the stack wrote them: a JSON
 * string (`JSON.stringify`), `${jsonencode({...})}` (`Fn.jsonencode`), or a reference to an
 * `aws_iam_policy_document` data source of the same stack.
 */
import type { StackView } from '../rule';
import { parseJsonencode } from '../../core/jsonencode-reader';
import { blocks, isObject, strings } from './values';

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  /** Principal values flattened (`*`, ARNs, service names); undefined when the statement has none. */
  readonly principals?: readonly string[];
  /** `NotPrincipal` is used. */
  readonly notPrincipal: boolean;
  readonly actions: readonly string[];
  /** `NotAction` is used: the statement covers every action except those listed. */
  readonly notAction: boolean;
  readonly resources: readonly string[];
  readonly notResource: boolean;
  readonly hasCondition: boolean;
  /** Condition entries as `Operator:key=value`, for rules that look for one. */
  readonly conditions: readonly Condition[];
}

export interface Condition {
  readonly operator: string;
  readonly key: string;
  /** The values as strings (booleans and numbers written as AWS stores them). */
  readonly values: readonly string[];
  /** Values the document writes as JSON booleans or numbers rather than strings. */
  readonly nonStringValues: readonly (boolean | number)[];
}

export type ParsedPolicy = { readonly ok: true; readonly statements: readonly Statement[] } | { readonly ok: false; readonly reason: string };

/** Reads a policy attribute; `{ ok: false }` when it cannot be read at synth time. */
export function parsePolicy(value: unknown, stack: StackView): ParsedPolicy {
  if (value === undefined || value === null || value === '') return { ok: true, statements: [] };
  const statements = readStatements(value, stack);
  if (statements === undefined) {
    return { ok: false, reason: `cannot be read at synth time (${preview(value)}); write it with JSON.stringify, Fn.jsonencode or an aws_iam_policy_document of the same stack` };
  }
  return { ok: true, statements };
}

function readStatements(value: unknown, stack: StackView): Statement[] | undefined {
  if (typeof value !== 'string') return isObject(value) ? fromDocument(value) : undefined;
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return isObject(parsed) ? fromDocument(parsed) : undefined;
    } catch {
      return undefined;
    }
  }
  const encoded = parseJsonencode(text);
  if (isObject(encoded)) return fromDocument(encoded);
  const dataRef = /^\$\{(data\.aws_iam_policy_document\.[\w-]+)\.json\}$/.exec(text);
  const data = dataRef ? stack.byAddress(dataRef[1]) : undefined;
  return data ? fromPolicyDocumentData(data.attributes, stack) : undefined;
}

function fromDocument(document: Readonly<Record<string, unknown>>): Statement[] {
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter(isObject).map(fromJsonStatement);
}

function fromJsonStatement(raw: Readonly<Record<string, unknown>>): Statement {
  const principalValue = raw.Principal ?? raw.NotPrincipal;
  const condition = isObject(raw.Condition) ? raw.Condition : undefined;
  const conditions = condition
    ? Object.entries(condition).flatMap(([operator, entries]) =>
        isObject(entries) ? Object.entries(entries).map(([key, values]) => ({ operator, key, values: flatStrings(values), nonStringValues: nonStrings(values) })) : [],
      )
    : [];
  return {
    effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
    principals: principalValue === undefined ? undefined : flatStrings(principalValue),
    notPrincipal: raw.NotPrincipal !== undefined,
    actions: flatStrings(raw.Action ?? raw.NotAction),
    notAction: raw.NotAction !== undefined,
    resources: flatStrings(raw.Resource ?? raw.NotResource),
    notResource: raw.NotResource !== undefined,
    hasCondition: conditions.length > 0,
    conditions,
  };
}

/** Statements of an `aws_iam_policy_document` data source (with its source documents). */
function fromPolicyDocumentData(attributes: Readonly<Record<string, unknown>>, stack: StackView): Statement[] {
  const own = blocks(attributes.statement).map((statement) => {
    const principals = blocks(statement.principals ?? statement.not_principals).flatMap((p) => strings(p.identifiers));
    const hasPrincipals = statement.principals !== undefined || statement.not_principals !== undefined;
    const conditions = blocks(statement.condition).map((c) => ({ operator: String(c.test), key: String(c.variable), values: strings(c.values), nonStringValues: [] }));
    return {
      effect: statement.effect === 'Deny' ? 'Deny' : 'Allow',
      principals: hasPrincipals ? principals : undefined,
      notPrincipal: statement.not_principals !== undefined,
      actions: strings(statement.actions ?? statement.not_actions),
      notAction: statement.not_actions !== undefined,
      resources: strings(statement.resources ?? statement.not_resources),
      notResource: statement.not_resources !== undefined,
      hasCondition: conditions.length > 0,
      conditions,
    } satisfies Statement;
  });
  const sources = [...strings(attributes.source_policy_documents), ...strings(attributes.override_policy_documents)];
  const included = sources.flatMap((source) => {
    const parsed = parsePolicy(source, stack);
    return parsed.ok ? parsed.statements : [];
  });
  return [...own, ...included];
}

function flatStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(flatStrings);
  if (isObject(value)) return Object.values(value).flatMap(flatStrings);
  return [];
}

function nonStrings(value: unknown): (boolean | number)[] {
  return [value].flat().filter((item): item is boolean | number => typeof item === 'boolean' || typeof item === 'number');
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `*` for anyone: `"*"`, `{"AWS": "*"}` or `{"AWS": ["*"]}`. */
export function hasWildcardPrincipal(statement: Statement): boolean {
  return !statement.notPrincipal && (statement.principals ?? []).some((principal) => principal.trim() === '*');
}

/** Whether the statement allows every action (`*`, `*:*`, or NotAction). */
export function coversEveryAction(statement: Statement): boolean {
  return statement.notAction || statement.actions.some((action) => action === '*' || action === '*:*');
}

/** Whether the statement applies to every resource (`*`, or NotResource). */
export function coversEveryResource(statement: Statement): boolean {
  return statement.notResource || statement.resources.some((resource) => resource === '*');
}
