/**
 * Every user-facing error of `npm run promote`, built in one place: one line naming the
 * environment (and field), what is wrong and how to fix it. Nothing is written when one is thrown.
 */
import { CONFIG_FILE } from '../../environments/load';

/** An input problem the user can fix: printed as one line, without a stack trace. */
export class PromoteError extends Error {
  override readonly name = 'PromoteError';
}

const configFile = (env: string) => `environments/${env}/${CONFIG_FILE}`;

export const errors = {
  unknownEnvironment: (name: string, chain: readonly string[], known: readonly string[]) =>
    new PromoteError(`unknown environment "${name}"; known: ${known.join(', ')} (promotion chain: ${chain.join(' -> ')})`),
  outsideChain: (name: string, chain: readonly string[]) =>
    new PromoteError(
      `environment "${name}" is not in the promotion chain (${chain.join(' -> ')}); it has no \`promotion\` in ${configFile(name)}, so nothing is promoted into or out of it`,
    ),
  sameEnvironment: (name: string) => new PromoteError(`cannot promote "${name}" into itself; name two environments of the chain`),
  skipsStep: (from: string, to: string, path: readonly string[]) =>
    new PromoteError(
      `promoting ${from} -> ${to} skips ${path.join(', ')} (chain: ${from} -> ${path.join(' -> ')} -> ${to}); promote one step at a time, or pass --force --reason "<why>"`,
    ),
  backwards: (from: string, to: string, chain: readonly string[]) =>
    new PromoteError(
      `promoting ${from} -> ${to} goes against the chain (${chain.join(' -> ')}); changes move forward only, or pass --force --reason "<why>"`,
    ),
  forceWithoutReason: () => new PromoteError('--force needs --reason "<text>": the reason goes into the promotion record and the pull request'),
  reasonWithoutForce: () => new PromoteError('--reason is only used with --force; drop it, or add --force'),
  badPin: (env: string, field: string, value: unknown, problem: string) =>
    new PromoteError(`${configFile(env)}: ${field}: ${JSON.stringify(value)} ${problem}`),
  notALiteral: (env: string, field: string, kind: string) =>
    new PromoteError(
      `${configFile(env)}: ${field}: is written as ${kind}, not a string, number or boolean literal; promotion only rewrites literals, change it by hand`,
    ),
  cannotInsert: (env: string, field: string, why: string) => new PromoteError(`${configFile(env)}: ${field}: cannot add the field (${why}); add it by hand`),
  noConfigObject: (env: string) =>
    new PromoteError(`${configFile(env)}: no \`const config = { ... }\` object literal exported as default; promotion cannot edit the file`),
  dirtyTarget: (env: string, file: string, status: string) =>
    new PromoteError(
      `${configFile(env)} has uncommitted changes (git status: ${status.trim()}); commit or discard them before --write, nothing written (${file})`,
    ),
  notInGit: (env: string, file: string, why: string) =>
    new PromoteError(`${configFile(env)}: cannot check for uncommitted changes (${why}); --write needs the file in a git work tree, nothing written (${file})`),
  editCheckFailed: (env: string, why: string) =>
    new PromoteError(`${configFile(env)}: the edited file does not read back as expected (${why}); nothing written, please report this`),
  synthFailed: (what: string, detail: string) =>
    new PromoteError(`cannot synthesize the environments ${what}, nothing written: ${detail}`),
  neverDeployed: (env: string) =>
    new PromoteError(
      `deployed/${env} does not exist: ${env} was never deployed by apply.yml (or the tags were not fetched: git fetch --tags), so there is nothing it runs to promote; deploy ${env} first, or pass --force --reason "<why>" to promote its working tree`,
    ),
  notInDeployed: (env: string, sha: string) =>
    new PromoteError(`${configFile(env)} does not exist at deployed/${env} (${sha}): ${env} was not deployed from this directory; deploy it first, or pass --force --reason "<why>"`),
  deployedConfigInvalid: (env: string, sha: string, detail: string) =>
    new PromoteError(`${configFile(env)} at deployed/${env} (${sha}) does not validate with this checkout's environments: ${detail}`),
  notInGitForDeployed: (env: string, why: string) =>
    new PromoteError(`cannot read deployed/${env}: the environments are not in a git repository (${why}); pass --force --reason "<why>" to promote the working tree`),
  usage: (message: string) => new PromoteError(message),
};
