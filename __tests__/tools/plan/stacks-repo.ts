/**
 * A tiny project in a git repository built by a test: `stacks.json` holds the stacks, its
 * `tools/synth/cli.ts` writes them as `<outdir>/stacks/<name>/cdk.tf.json` (what `affected`
 * synthesizes), and `environments/<env>/config.ts` only marks the environments (a names-only catalog).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SYNTH_CLI = `import * as fs from 'fs';
import * as path from 'path';
const outdir = process.argv[process.argv.indexOf('--outdir') + 1];
for (const [name, json] of Object.entries(JSON.parse(fs.readFileSync('stacks.json', 'utf8')))) {
  fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
}
`;

export interface StacksRepo {
  readonly root: string;
  /** Runs git in the repository; its output, trimmed. */
  git(...args: string[]): string;
  /** Commits the stacks, `stack` set to `value` first (a merged pull request); the new commit. */
  merge(message: string, stack?: string, value?: unknown): string;
}

export function stacksRepo(stacks: Record<string, unknown>, environments: readonly string[], extraFiles: Record<string, string> = {}): StacksRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stacks-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  git('init', '-q');
  write('tools/synth/cli.ts', SYNTH_CLI);
  for (const env of environments) write(`environments/${env}/config.ts`, 'export default {};\n');
  for (const [file, text] of Object.entries(extraFiles)) write(file, text);
  const current = { ...stacks };
  return {
    root,
    git,
    merge(message, stack, value) {
      if (stack) current[stack] = value;
      write('stacks.json', JSON.stringify(current));
      git('add', '-A');
      git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}
