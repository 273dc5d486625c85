/**
 * A problem found in an environment config. Every message names the environment directory,
 * the field, the value received and what is allowed; all problems are reported together.
 */
export interface ConfigIssue {
  /** Environment directory name (`dev`), or `*` for a problem between environments. */
  readonly environment: string;
  /** Dotted path of the field (`services.api.cpu`); empty when the location says it all. */
  readonly field: string;
  /** The value received, when there is one worth showing. */
  readonly value?: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** Where to look when it is not the environment's config file (`environments/qa/`). @default - `environments/<environment>/config.ts` */
  readonly location?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.location ?? (issue.environment === '*' ? 'environments' : `environments/${issue.environment}/config.ts`);
  const value = issue.value === undefined ? '' : ` (got ${JSON.stringify(issue.value)})`;
  return `${where}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}${value}`;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `${issues.length} problem${issues.length === 1 ? '' : 's'} in the environment configs:\n` +
        issues.map((issue) => `  - ${formatIssue(issue).split('\n').join('\n    ')}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
