import { Command, CommanderError } from 'commander';
import { DEFAULT_ARTIFACT_NAME } from './constants';
import { assertStackName, errors, PlanCommentError } from './errors';
import { readGitHubContext, workflowRunUrl } from './github-context';
import { compileValuePatterns, DEFAULT_MASK_OPTIONS } from './mask';
import { readPlanJsonFile } from './plan-json';
import { renderComment, type RenderOptions } from './render';
import { postStickyComment } from './sticky-comment';
import { failedStack, summarizePlan, type StackSummary } from './summarize';
import { discoverEnvironments } from '../../environments/load';
import { environmentOf } from './stack-catalog';

/** Where the CLI reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  /** @default process.env */
  env: Readonly<Record<string, string | undefined>>;
  /** @default writes to process.stdout */
  stdout: (text: string) => void;
  /** @default writes to process.stderr */
  stderr: (text: string) => void;
}

const DEFAULT_IO: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface CliOptions {
  plan: string[];
  failed: string[];
  allowFailed: boolean;
  post: boolean;
  maskPattern: string[];
  artifactName: string;
  commit?: string;
  plannedAt?: string;
  noneAffected: boolean;
}

/** One `--plan <stack>=<file>` argument. */
export interface PlanArgument {
  stack: string;
  file: string;
}

/**
 * Splits `--plan <stack>=<plan.json>` at the first "=".
 * @throws PlanCommentError when there is no "=" or the stack name is not allowed
 */
export function parsePlanArgument(arg: string): PlanArgument {
  const at = arg.indexOf('=');
  if (at <= 0 || at === arg.length - 1) throw errors.planArgWithoutEquals(arg);
  const stack = arg.slice(0, at);
  assertStackName(stack);
  return { stack, file: arg.slice(at + 1) };
}

const collect = (value: string, previous: string[]) => [...previous, value];

function buildProgram(io: CliIo): Command {
  return new Command('plan-comment')
    .description('Render Terraform plans as one GitHub pull request comment, and optionally post it.')
    .option('--plan <stack=plan.json>', 'a stack and its `terraform show -json` plan; repeatable', collect, [])
    .option('--failed <stack>', 'a stack whose plan failed (shown as failed); repeatable', collect, [])
    .option('--allow-failed', 'show a stack whose plan file is missing or unreadable as failed instead of exiting', false)
    .option('--post', 'create or update the sticky comment on the pull request (needs GITHUB_TOKEN)', false)
    .option('--mask-pattern <regex>', 'also mask values matching this regular expression; repeatable', collect, [])
    .option('--artifact-name <name>', 'workflow artifact that holds the full plans', DEFAULT_ARTIFACT_NAME)
    .option('--commit <sha>', 'the commit the plans were made at, named at the top of the comment')
    .option('--planned-at <iso time>', 'when the plans were made (default: now, when --commit is given)')
    .option('--none-affected', 'this run affects no stack: the comment says so (no --plan needed)', false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

function loadSummaries(options: CliOptions): StackSummary[] {
  const summaries: StackSummary[] = [];
  const seen = new Set<string>();
  const claim = (stack: string) => {
    if (seen.has(stack)) throw errors.duplicateStack(stack);
    seen.add(stack);
  };
  for (const arg of options.plan) {
    const { stack, file } = parsePlanArgument(arg);
    claim(stack);
    try {
      summaries.push(summarizePlan(stack, readPlanJsonFile(file)));
    } catch (error) {
      if (!(options.allowFailed && error instanceof PlanCommentError)) throw error;
      summaries.push(failedStack(stack, error.message));
    }
  }
  for (const stack of options.failed) {
    assertStackName(stack);
    claim(stack);
    summaries.push(failedStack(stack, 'the plan step failed; see the workflow log'));
  }
  if (summaries.length === 0 && !options.noneAffected) throw errors.noPlans();
  if (summaries.length > 0 && options.noneAffected) throw errors.noneAffectedWithPlans();
  return summaries;
}

/** `--planned-at`, checked; now (to the second) when not given. */
function plannedAt(options: CliOptions): string {
  if (options.plannedAt === undefined) return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (Number.isNaN(Date.parse(options.plannedAt))) throw errors.badPlannedAt(options.plannedAt);
  return new Date(options.plannedAt).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The environment of a stack, from the environment directories of this checkout (their names only). */
function environmentOfStack(stack: string): string {
  return environmentOf(stack, discoverEnvironments());
}

/**
 * Runs the CLI: renders the plans of `--plan` (and `--failed`) stacks as markdown on stdout and, with `--post`,
 * creates or updates the pull request's sticky comment, rebuilt from this run alone.
 * Input errors print one line to stderr and return a non-zero exit code; they never throw.
 * @param argv arguments after the script name
 * @returns the process exit code
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const resolvedIo: CliIo = { ...DEFAULT_IO, ...io };
  const program = buildProgram(resolvedIo);
  try {
    program.parse([...argv], { from: 'user' });
    const options = program.opts<CliOptions>();
    const context = options.post ? readGitHubContext(resolvedIo.env) : undefined;
    const runUrl = workflowRunUrl(resolvedIo.env);
    const renderOptions: Partial<RenderOptions> = {
      mask: {
        ...DEFAULT_MASK_OPTIONS,
        valuePatterns: [...DEFAULT_MASK_OPTIONS.valuePatterns, ...compileValuePatterns(options.maskPattern)],
      },
      artifactName: options.artifactName,
      ...(runUrl ? { runUrl } : {}),
      ...(options.commit ? { commit: options.commit, plannedAt: plannedAt(options) } : {}),
      environmentOf: environmentOfStack,
    };
    const summaries = loadSummaries(options);
    if (!context) {
      resolvedIo.stdout(renderComment(summaries, renderOptions));
      return 0;
    }
    const body = renderComment(summaries, renderOptions);
    const result = await postStickyComment(context, body);
    resolvedIo.stdout(body);
    resolvedIo.stderr(`plan-comment: ${result.action} comment ${result.commentId} on pull request #${context.pullNumber}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed its one-line message already
    const message = error instanceof PlanCommentError ? error.message : `unexpected error: ${String(error)}`;
    resolvedIo.stderr(`plan-comment: ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
