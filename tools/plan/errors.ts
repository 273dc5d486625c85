import { ENV, STACK_NAME_PATTERN, SUPPORTED_FORMAT_MAJOR_VERSIONS } from './constants';

/** An input problem the user can fix: printed as one line, without a stack trace. */
export class PlanCommentError extends Error {
  override readonly name = 'PlanCommentError';
}

/** Every user-facing error message, built in one place: what is wrong, then how to fix it. */
export const errors = {
  unreadableFile: (file: string, reason: string) =>
    new PlanCommentError(`cannot read plan file "${file}" (${reason}); check the path passed to --plan`),
  notJson: (file: string) =>
    new PlanCommentError(
      `"${file}" is not JSON; pass the output of \`terraform show -json <planfile>\`, not the binary plan file`,
    ),
  notPlanJson: (file: string, why: string) =>
    new PlanCommentError(`"${file}" is not Terraform plan JSON (${why}); pass the output of \`terraform show -json <planfile>\``),
  unsupportedFormatVersion: (file: string, version: string) =>
    new PlanCommentError(
      `"${file}" has plan format_version "${version}", which is not supported (supported: ${SUPPORTED_FORMAT_MAJOR_VERSIONS.map((v) => `${v}.x`).join(', ')}); create the plan with Terraform >= 1.1`,
    ),
  planArgWithoutEquals: (arg: string) =>
    new PlanCommentError(`--plan "${arg}" has no "="; write it as --plan <stack>=<plan.json>`),
  badStackName: (stack: string) =>
    new PlanCommentError(`stack name "${stack}" is not allowed; use letters, digits, ".", "_", "-" and "/" only`),
  duplicateStack: (stack: string) =>
    new PlanCommentError(`stack "${stack}" is given more than once; pass each stack to --plan or --failed once`),
  noPlans: () => new PlanCommentError('no plans given; pass at least one --plan <stack>=<plan.json> or --failed <stack>'),
  noneAffectedWithPlans: () =>
    new PlanCommentError('--none-affected says this run planned no stack; pass it without --plan and --failed'),
  badPlannedAt: (value: string) =>
    new PlanCommentError(`--planned-at "${value}" is not a date and time; pass ISO 8601, for example 2026-12-04T15:30:00Z`),
  badMaskPattern: (pattern: string, reason: string) =>
    new PlanCommentError(`--mask-pattern "${pattern}" is not a valid regular expression (${reason})`),
  missingEnv: (name: string, hint: string) => new PlanCommentError(`${name} is not set; ${hint}`),
  missingToken: () =>
    new PlanCommentError(`${ENV.token} is not set; --post needs a token that may write pull request comments`),
  badRepository: (value: string) =>
    new PlanCommentError(`${ENV.repository} "${value}" is not "owner/repo"; set it like "my-org/my-repo"`),
  missingPrNumber: () =>
    new PlanCommentError(
      `no pull request number: set ${ENV.prNumber}, or ${ENV.eventPath} to a pull_request event payload`,
    ),
  badPrNumber: (value: string) => new PlanCommentError(`pull request number "${value}" is not a positive integer`),
  githubRequestFailed: (what: string, reason: string) =>
    new PlanCommentError(`GitHub API request to ${what} failed (${reason}); check the token's permissions and the repository`),
};

/** Checks a stack name against STACK_NAME_PATTERN. */
export function assertStackName(stack: string): void {
  if (!STACK_NAME_PATTERN.test(stack)) throw errors.badStackName(stack);
}
