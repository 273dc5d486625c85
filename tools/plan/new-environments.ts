/**
 * new-environments: the environments a pull request adds, and what must happen before their
 * stacks can be planned. A plan job assumes the environment's CI plan role (`ci-plan-<env>`),
 * and its backend the state roles; all of them are created by `shared-bootstrap`, which is
 * applied by hand (README "Bootstrap"), so the first pull request of a new environment cannot
 * plan it until someone with the tooling account's credentials applies bootstrap from the
 * pull request's branch. This tool says exactly that, with the commands, for the plan comment
 * and for the failing check.
 *
 * `npm run --silent new-environments -- --base <ref> [--environments environments]
 *  [--markdown <file>] [--github-output <file>]`: prints the instructions (nothing when no
 * environment is new); the GitHub output gets `new=<JSON list>`.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { CONFIG_FILE, DEFAULT_ENVIRONMENTS_DIR, discoverEnvironments, loadPlatform, type Platform } from '../../environments/load';
import { ciRoleName } from '../../stacks/bootstrap-stack';
import { stateWriteRoleArn } from '../../stacks/state-access';
import { stackName } from '../../stacks/layer-stack';
import { git, GitError, repositoryRoot } from '../promote/git';
import { PROCESS_IO, PlanToolError, runTool, type ToolIo } from './cli-support';
import { BOOTSTRAP_LAYER } from './stack-catalog';

/** Environment directories (with a config.ts) at a commit. */
export function environmentsAt(environmentsDir: string, ref: string): string[] {
  let root: string;
  try {
    root = repositoryRoot(environmentsDir);
  } catch (error) {
    if (error instanceof GitError) throw new PlanToolError(`${environmentsDir} is not in a git repository (${error.message}); new environments are found by comparing with --base`);
    throw error;
  }
  const relative = path.relative(root, path.resolve(environmentsDir)).split(path.sep).join('/');
  let listing: string;
  try {
    listing = git(root, ['ls-tree', '-r', '--name-only', ref, '--', relative || '.']);
  } catch (error) {
    if (error instanceof GitError) throw new PlanToolError(`--base ${ref} is no commit of the repository (${error.message}); fetch it first`);
    throw error;
  }
  const prefix = relative ? `${relative}/` : '';
  return [
    ...new Set(
      listing
        .split('\n')
        .filter((file) => file.startsWith(prefix) && file.endsWith(`/${CONFIG_FILE}`))
        .map((file) => file.slice(prefix.length).split('/'))
        .filter((parts) => parts.length === 2)
        .map(([name]) => name),
    ),
  ].sort();
}

/** The environments of the working tree that the base commit does not have. */
export function newEnvironments(environmentsDir: string, base: string): string[] {
  const before = new Set(environmentsAt(environmentsDir, base));
  return discoverEnvironments(environmentsDir).filter((name) => !before.has(name));
}

/** What to run before the stacks of `environments` can be planned, as markdown. */
export function bootstrapFirst(platform: Platform, environments: readonly string[]): string {
  if (environments.length === 0) return '';
  const tooling = platform.organization.accounts.tooling.accountId;
  const bootstrap = stackName(platform.shared.name, BOOTSTRAP_LAYER);
  const roles = environments.flatMap((env) => [ciRoleName('plan', env), ciRoleName('apply', env), stateWriteRoleArn(platform.organization.state, env).split('/').pop()!]);
  const names = environments.join(', ');
  return [
    `### :construction: New environment${environments.length > 1 ? 's' : ''} ${names}: apply ${bootstrap} first`,
    '',
    `The stacks of ${names} cannot be planned yet: their CI and state roles (${roles.map((r) => `\`${r}\``).join(', ')}) are created by \`${bootstrap}\`, which is applied by hand. ` +
      `With administrator credentials of the tooling account (${tooling}), from this pull request's branch:`,
    '',
    '```sh',
    'npm ci && npm run synth',
    `cd cdktf.out/stacks/${bootstrap}`,
    `terraform init && terraform plan -out bootstrap.tfplan   # review: it adds the roles of ${names}, nothing else`,
    'terraform apply bootstrap.tfplan',
    '```',
    '',
    `Then re-run the plan workflow of this pull request; the plans of ${names} fail until then.`,
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('new-environments', io, () => {
    const options = new Command('new-environments')
      .description('Environments this pull request adds, and the bootstrap apply they need before their first plan')
      .requiredOption('--base <ref>', 'the pull request base commit')
      .option('--environments <dir>', 'directory of environment directories', DEFAULT_ENVIRONMENTS_DIR)
      .option('--markdown <file>', 'write the instructions as a plan-comment section (empty when no environment is new)')
      .option('--github-output <file>', 'append new=<JSON list>')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ base: string; environments: string; markdown?: string; githubOutput?: string }>();
    const added = newEnvironments(options.environments, options.base);
    const text = added.length > 0 ? bootstrapFirst(loadPlatform(options.environments), added) : '';
    if (options.markdown) writeFileSync(options.markdown, text);
    if (options.githubOutput) appendFileSync(options.githubOutput, `new=${JSON.stringify(added)}\n`);
    io.stdout(text || 'no new environment\n');
    return 0;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
