/**
 * Every fixed string and limit the plan-comment tooling uses, in one place.
 */

/** Major versions of the `terraform show -json` plan format this tool understands. */
export const SUPPORTED_FORMAT_MAJOR_VERSIONS: readonly number[] = [1];

/** Top-level keys of which at least one is present in every plan JSON (and absent in state JSON). */
export const PLAN_ONLY_KEYS: readonly string[] = [
  'planned_values',
  'resource_changes',
  'resource_drift',
  'output_changes',
  'applyable',
  'complete',
  'errored',
];

/** GitHub refuses issue comments longer than this many characters. */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

/** Hidden marker that identifies the one sticky plan comment of a pull request. */
export const COMMENT_MARKER = '<!-- platform-plan-comment -->';

/** Hidden markers around one stack's part of the comment. */
export const stackStartMarker = (stack: string): string => `<!-- stack:${stack} -->`;
export const stackEndMarker = (stack: string): string => `<!-- /stack:${stack} -->`;
/** Hidden markers around the trimmable details of one stack's part. */
export const detailsStartMarker = (stack: string): string => `<!-- stack-details:${stack} -->`;
export const detailsEndMarker = (stack: string): string => `<!-- /stack-details:${stack} -->`;
/** Matches a stack start marker and captures the stack name. */
export const STACK_START_MARKER_PATTERN = /<!-- stack:([^\s>]+) -->/g;

/** Stack names must be safe inside the hidden markers. */
export const STACK_NAME_PATTERN = /^[A-Za-z0-9._\-/]+$/;

/** Title of the comment. */
export const COMMENT_TITLE = '## Terraform plan';

/** Placeholders printed instead of values. */
export const SENSITIVE_PLACEHOLDER = '(sensitive)';
export const MASKED_PLACEHOLDER = '(masked)';
export const UNKNOWN_PLACEHOLDER = '(known after apply)';

/** Longest value (in characters) printed in a details table before it is cut. */
export const MAX_VALUE_CHARS = 200;
/** How many addresses the always-kept summary lists per warning before saying "and N more". */
export const MAX_LISTED_ADDRESSES = 25;

/** Default name of the workflow artifact holding the full plans. */
export const DEFAULT_ARTIFACT_NAME = 'terraform-plans';

/** Environment variables the CLI reads. */
export const ENV = {
  token: 'GITHUB_TOKEN',
  repository: 'GITHUB_REPOSITORY',
  prNumber: 'PR_NUMBER',
  eventPath: 'GITHUB_EVENT_PATH',
  apiUrl: 'GITHUB_API_URL',
  serverUrl: 'GITHUB_SERVER_URL',
  runId: 'GITHUB_RUN_ID',
} as const;

/** GitHub REST API base URL when GITHUB_API_URL is not set. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * Attribute names whose values are masked even when the provider did not mark them sensitive.
 * Matched against the last segment of the attribute path.
 */
export const DEFAULT_MASKED_ATTRIBUTE_NAMES: readonly RegExp[] = [
  /passw(or)?d/i,
  /secret/i,
  /token/i,
  /private_?key/i,
  /access_?key/i,
  /api_?key/i,
  /credential/i,
];

/** Names that refer to a secret rather than hold one (`secret_arn`, `kms_key_id`, `token_name`): never masked by name. */
export const NOT_SECRET_ATTRIBUTE_NAME = /(_arns?|_ids?|_names?)$/i;

/**
 * Top-level attributes that carry a secret value whatever the provider marks (AWS provider 5.x),
 * masked even when `sensitive` is missing from the plan (older providers, write-only arguments).
 */
export const KNOWN_SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary', 'secret_string_wo'],
  aws_ssm_parameter: ['value', 'value_wo'],
  aws_db_instance: ['password', 'password_wo'],
  aws_rds_cluster: ['master_password', 'master_password_wo'],
  aws_iam_access_key: ['secret', 'ses_smtp_password_v4'],
  aws_iam_user_login_profile: ['password'],
  aws_elasticache_replication_group: ['auth_token'],
  aws_elasticache_user: ['passwords'],
  aws_mq_broker: ['user'],
  aws_docdb_cluster: ['master_password'],
  aws_redshift_cluster: ['master_password'],
  aws_opensearch_domain: ['advanced_security_options'],
};

/** Values that look like keys or tokens: masked wherever they appear. */
export const DEFAULT_MASKED_VALUE_PATTERNS: readonly RegExp[] = [
  /\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, // PEM private keys
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g, // GitHub fine-grained tokens
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
];

/** What happens to one resource instance, in the order the comment lists them (destructive first). */
export const ACTION_GROUPS = ['destroy', 'replace', 'update', 'create', 'read', 'forget', 'no-op'] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

/** How each action group is shown. */
export const ACTION_GROUP_LABELS: Record<ActionGroup, { symbol: string; verb: string }> = {
  destroy: { symbol: '-', verb: 'will be destroyed' },
  replace: { symbol: '-/+', verb: 'will be replaced' },
  update: { symbol: '~', verb: 'will be updated in-place' },
  create: { symbol: '+', verb: 'will be created' },
  read: { symbol: '<=', verb: 'will be read' },
  forget: { symbol: '.', verb: 'will be removed from state (the object is kept)' },
  'no-op': { symbol: ' ', verb: 'has no changes' },
};

/** The two orders of a replacement, shown as Terraform's plan output shows them. */
export const REPLACE_ORDER_LABELS = {
  createBeforeDestroy: { symbol: '+/-', order: 'create replacement and then destroy' },
  destroyBeforeCreate: { symbol: '-/+', order: 'destroy and then create replacement' },
} as const;

/** Terraform's `action_reason` values, in words. */
export const ACTION_REASONS: Record<string, string> = {
  replace_because_tainted: 'it is tainted',
  replace_because_cannot_update: 'an attribute cannot be updated in-place',
  replace_by_request: 'replacement was requested (-replace)',
  replace_by_triggers: 'replace_triggered_by changed',
  delete_because_no_resource_config: 'it is no longer in the configuration',
  delete_because_no_module: 'its module is no longer in the configuration',
  delete_because_wrong_repetition: 'count/for_each changed',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'its moved target is not in the configuration',
  read_because_config_unknown: 'its configuration is known only after apply',
  read_because_dependency_pending: 'a dependency has pending changes',
  read_because_check_nested: 'a check block needs it',
};
