/**
 * The node command behind an npm script, so the benchmark and the tests run a tool exactly as
 * `npm run <script>` does (same preloaded loader, same flags) without npm's own start-up.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The project root: npm runs every script from here. */
export const PROJECT_ROOT = path.join(__dirname, '..');

function packageScripts(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts ?? {};
}

/**
 * The arguments after `node` of package.json's `scripts[name]`, to run with `process.execPath`
 * from {@link PROJECT_ROOT}. Throws when the script is not a plain `node <args...>` command.
 */
export function npmScriptNodeArgs(name: string, scripts: Record<string, string> = packageScripts()): string[] {
  const [command, ...args] = (scripts[name] ?? '').trim().split(/\s+/);
  if (command !== 'node' || args.length === 0) {
    throw new Error(`package.json scripts.${name} must be "node <args...>" to be run without npm, got "${scripts[name] ?? ''}"`);
  }
  return args;
}
