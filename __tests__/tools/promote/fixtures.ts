/** A temporary git repository holding copies of the shipped environments, with known pins, for promotion tests. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverEnvironments } from '../../../environments/load';
import { main as promoteMain } from '../../../tools/promote/cli';

const SHIPPED = path.join(__dirname, '..', '..', '..', 'environments');

export interface PromoteRepo {
  readonly root: string;
  readonly environmentsDir: string;
  file(env: string): string;
  read(env: string): string;
  write(env: string, text: string): void;
  /** Runs git in the repository (author and committer fixed). */
  git(...args: string[]): string;
  commit(message: string): string;
  cleanup(): void;
}

/** Dev's promotable values: two differ from staging's, one is equal. */
export const DEV_PROMOTABLE = `  // Promotable: moves dev -> staging -> prod with \`npm run promote\`.
  promotable: {
    'feature.checkout-v2': true,
    'search.pageSize': 50,
    retries: 3,
  },
`;

export const STAGING_PROMOTABLE = `  promotable: {
    'feature.checkout-v2': false, // off until QA signs off
    retries: 3,
  },
`;

/** Known image pins per environment (api differs dev -> staging, web is equal). */
export const IMAGES = {
  dev: { api: 'api:3.1.0', web: 'web:2.3.0' },
  staging: { api: 'api:3.0.0', web: 'web:2.3.0' },
  prod: { api: 'api:2.9.0', web: 'web:2.2.1' },
} as const;

/** Sets `image: '<repository>...'` of each service in a config's text. */
export function pinImages(text: string, images: Record<string, string>): string {
  let result = text;
  for (const [repository, image] of Object.entries(images)) {
    const pattern = new RegExp(`image: '${repository}[:@][^']*'`);
    if (!pattern.test(result)) throw new Error(`fixture: no image of ${repository} in the config`);
    result = result.replace(pattern, `image: '${image}'`);
  }
  return result;
}

/** Inserts a block before the root `tags:` property. */
export function beforeTags(text: string, block: string): string {
  if (!text.includes('\n  tags: {')) throw new Error('fixture: no root tags property');
  return text.replace('\n  tags: {', `\n${block}  tags: {`);
}

export function promoteRepo(options: { promotable?: boolean; commit?: boolean } = {}): PromoteRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-repo-'));
  const environmentsDir = path.join(root, 'environments');
  for (const name of discoverEnvironments(SHIPPED)) fs.cpSync(path.join(SHIPPED, name), path.join(environmentsDir, name), { recursive: true });
  const repo: PromoteRepo = {
    root,
    environmentsDir,
    file: (env) => path.join(environmentsDir, env, 'config.ts'),
    read: (env) => fs.readFileSync(repo.file(env), 'utf8'),
    write: (env, text) => fs.writeFileSync(repo.file(env), text),
    git: (...args) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    commit: (message) => {
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', message);
      return repo.git('rev-parse', 'HEAD').trim();
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  for (const env of ['dev', 'staging', 'prod'] as const) repo.write(env, pinImages(repo.read(env), IMAGES[env]));
  if (options.promotable !== false) {
    repo.write('dev', beforeTags(repo.read('dev'), DEV_PROMOTABLE));
    repo.write('staging', beforeTags(repo.read('staging'), STAGING_PROMOTABLE));
  }
  fs.mkdirSync(path.join(root, 'modules'), { recursive: true });
  fs.writeFileSync(path.join(root, 'modules', 'example.ts'), 'export const version = 1;\n');
  if (options.commit !== false) {
    repo.git('init', '-q', '-b', 'main');
    repo.commit('initial platform');
  }
  return repo;
}

/** Runs `npm run promote` in process on the repository's environments; what it printed, by stream. */
export function promoteCli(repo: PromoteRepo): (...argv: string[]) => { code: number; out: string; err: string; errLines: string[] } {
  return (...argv) => {
    const captured = captureIo();
    const code = promoteMain([...argv, '--environments', repo.environmentsDir], captured.io);
    return { code, out: captured.out.join('\n'), err: captured.err.join('\n'), errLines: captured.err };
  };
}

/** Collects what `main` prints. */
export function captureIo(): { out: string[]; err: string[]; io: { out: (text: string) => void; err: (text: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (text) => out.push(text), err: (text) => err.push(text) } };
}
