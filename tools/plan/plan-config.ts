/**
 * Rewrites of a synthesized stack for planning it somewhere other than with the deploy role:
 *
 * - `offlineConfig`: no AWS at all. Local state instead of the S3 backend; static stub
 *   credentials with every AWS lookup the provider makes at start skipped (credential check,
 *   account id, instance metadata); no role assumption; `allowed_account_ids` dropped, because
 *   without the account id lookup the provider cannot check it; every `terraform_remote_state`
 *   reads an empty local state and gets, as `defaults`, stand-ins shaped like the producer's
 *   outputs (tools/terraform/check-workspace.ts `remoteStateMocks`). Plans run with
 *   `-refresh=false`.
 * - `readOnlyConfig`: real AWS, but each provider assumes the account's read-only plan role
 *   instead of its deploy role, and the backend and every `terraform_remote_state` the read-only
 *   state role instead of a state write role (the CI plan roles may assume only those); the
 *   backend takes no lock (`use_lockfile = false`): a lock is an object write, and the read role
 *   writes nothing. A plan without a lock may read a state an apply is replacing; S3 replaces
 *   objects atomically, so it reads the old or the new state, never a mix, and apply re-plans.
 */
import { remoteStateMocks, type AttributeTypes, type StackJson } from '../terraform/check-workspace';
import { PlanToolError } from './cli-support';

/** Stub credentials of offline plans: never sent anywhere, the provider only needs some. */
export const OFFLINE_CREDENTIALS = { access_key: 'offline-plan-access-key', secret_key: 'offline-plan-secret-key' } as const;
/** Provider settings that stop the AWS provider from calling AWS while it configures itself. */
export const OFFLINE_PROVIDER_SETTINGS = {
  ...OFFLINE_CREDENTIALS,
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
} as const;
/** Provider arguments that need AWS (roles, profiles, account lookups): removed offline. */
export const OFFLINE_DROPPED_PROVIDER_ARGUMENTS: readonly string[] = [
  'assume_role',
  'assume_role_with_web_identity',
  'allowed_account_ids',
  'forbidden_account_ids',
  'profile',
  'shared_config_files',
  'shared_credentials_files',
  'token',
];
/** State file of an offline plan, in the stack's work dir. */
export const OFFLINE_STATE_FILE = 'terraform.tfstate';
/** The empty state every offline `terraform_remote_state` reads (its outputs come from `defaults`). */
export const OFFLINE_REMOTE_STATE_FILE = 'remote-state-stand-in.tfstate';
export const EMPTY_STATE = { version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'offline-remote-state-stand-in', outputs: {}, resources: [] };

const REMOTE_STATE = 'terraform_remote_state';

export interface OfflineOptions {
  /** The synthesized stack that writes a state key, to shape remote-state stand-ins like its outputs. */
  readonly producerOf: (stateKey: string) => StackJson | undefined;
  /** Provider attribute types, to type the stand-ins of single-attribute outputs. @default - strings and lists by shape */
  readonly attributeTypes?: AttributeTypes;
}

export interface RewrittenConfig {
  readonly json: StackJson;
  /** What was changed, one line each, for the plan log. */
  readonly notes: readonly string[];
}

type ProviderBlock = Record<string, unknown>;
type RemoteStateBlock = { backend?: string; config?: Record<string, unknown>; defaults?: Record<string, unknown>; workspace?: string };

/** The offline copy of a stack (the input is not changed). */
export function offlineConfig(original: StackJson, options: OfflineOptions): RewrittenConfig {
  const json: StackJson = JSON.parse(JSON.stringify(original));
  const notes: string[] = [];
  const terraform = (json.terraform ??= {});
  const backends = Object.keys(terraform.backend ?? {});
  terraform.backend = { local: { path: OFFLINE_STATE_FILE } } as Record<string, { key?: string }>;
  notes.push(`state: local ${OFFLINE_STATE_FILE} instead of the ${backends.join(', ') || 'default'} backend`);

  for (const [index, provider] of ((json.provider?.aws ?? []) as ProviderBlock[]).entries()) {
    const label = `provider aws${provider.alias ? `.${String(provider.alias)}` : index === 0 ? '' : `[${index}]`}`;
    const dropped = OFFLINE_DROPPED_PROVIDER_ARGUMENTS.filter((key) => key in provider);
    for (const key of dropped) delete provider[key];
    Object.assign(provider, OFFLINE_PROVIDER_SETTINGS);
    notes.push(
      `${label}: stub credentials, no AWS lookups${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}` +
        (dropped.includes('allowed_account_ids') ? ' (the account id is not looked up offline, so the account lock is not checked)' : ''),
    );
  }

  const remoteStates = (json.data?.[REMOTE_STATE] ?? {}) as Record<string, RemoteStateBlock>;
  const mocks = remoteStateMocks(original, options.producerOf, options.attributeTypes);
  for (const [name, block] of Object.entries(remoteStates)) {
    const from = block.config?.key ?? block.backend ?? 'remote state';
    block.backend = 'local';
    block.config = { path: OFFLINE_REMOTE_STATE_FILE };
    delete block.workspace;
    block.defaults = { ...(mocks.get(name) ?? {}), ...(block.defaults ?? {}) };
    notes.push(`data.${REMOTE_STATE}.${name}: stand-in outputs instead of reading ${String(from)}`);
  }
  return { json, notes };
}

/**
 * The copy of a stack whose AWS providers assume read-only plan roles: `planRoles` maps each
 * deploy role ARN to the plan role of the same account.
 * @throws PlanToolError when a provider assumes a role that has no plan role
 */
export function readOnlyConfig(original: StackJson, planRoles: ReadonlyMap<string, string>, stack: string): RewrittenConfig {
  const json: StackJson = JSON.parse(JSON.stringify(original));
  const notes: string[] = [];
  for (const provider of (json.provider?.aws ?? []) as ProviderBlock[]) {
    const assumed = provider.assume_role;
    for (const role of (Array.isArray(assumed) ? assumed : assumed ? [assumed] : []) as { role_arn?: string }[]) {
      if (!role.role_arn) continue;
      const planRole = planRoles.get(role.role_arn);
      if (!planRole) {
        throw new PlanToolError(
          `stack ${stack}: provider aws${provider.alias ? `.${String(provider.alias)}` : ''} assumes ${role.role_arn}, which is no deploy role of the platform config, so it has no read-only plan role; plan it without --read-only`,
        );
      }
      notes.push(`provider aws${provider.alias ? `.${String(provider.alias)}` : ''}: assumes ${planRole} (read-only) instead of ${role.role_arn}`);
      role.role_arn = planRole;
    }
  }
  const backend = json.terraform?.backend?.s3 as S3Config | undefined;
  if (backend) {
    readOnlyStateRole(backend, planRoles, `stack ${stack}: the backend`, notes);
    backend.use_lockfile = false;
    notes.push('backend s3: no lock (use_lockfile = false): the read-only state role writes no lock object');
  }
  for (const [name, block] of Object.entries((json.data?.[REMOTE_STATE] ?? {}) as Record<string, RemoteStateBlock>)) {
    if (block.backend === 's3' && block.config) readOnlyStateRole(block.config as S3Config, planRoles, `stack ${stack}: data.${REMOTE_STATE}.${name}`, notes);
  }
  return { json, notes };
}

type S3Config = { assume_role?: { role_arn?: string }; use_lockfile?: boolean };

/** Points an S3 state configuration's role at its read-only counterpart (unchanged when it already is one). */
function readOnlyStateRole(config: S3Config, roles: ReadonlyMap<string, string>, where: string, notes: string[]): void {
  const role = config.assume_role?.role_arn;
  if (!role) {
    throw new PlanToolError(`${where} assumes no state role, so a read-only plan would write state with the CI role's own rights; synthesize the stack again`);
  }
  const readOnly = roles.get(role) ?? ([...roles.values()].includes(role) ? role : undefined);
  if (!readOnly) {
    throw new PlanToolError(`${where} assumes ${role}, which is no state role of the platform config, so it has no read-only state role; plan it without --read-only`);
  }
  if (readOnly !== role) notes.push(`${where.replace(/^stack [^:]+: /, '')}: assumes ${readOnly} (read-only) instead of ${role}`);
  config.assume_role!.role_arn = readOnly;
}

/** True when the stack reads another stack's state. */
export function readsRemoteState(json: StackJson): boolean {
  return Object.keys(json.data?.[REMOTE_STATE] ?? {}).length > 0;
}
