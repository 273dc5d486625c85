/**
 * The TypeScript loader of every entry point (tools/ts-loader.cjs, preloaded by
 * tools/fast-start.cjs): each case runs a real node process, as npm scripts do.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const FAST_START = path.join(ROOT, 'tools', 'fast-start.cjs');
const LOADER = path.join(ROOT, 'tools', 'ts-loader.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MAX_CACHE_ENTRIES } = require(LOADER) as { MAX_CACHE_ENTRIES: number };

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Runs `entry` under fast-start.cjs (after `preload`); the loader's cache hits and misses are read on exit. */
function run(entry: string, env: NodeJS.ProcessEnv = {}, preload: readonly string[] = []) {
  const report = `const loader = require(${JSON.stringify(FAST_START)}); process.on('exit', () => console.error('cache ' + JSON.stringify({ ...loader.stats, esbuild: Object.keys(require.cache).some((f) => f.includes('/esbuild/lib/')) })));`;
  const child = spawnSync(process.execPath, [...preload.flatMap((p) => ['--require', p]), '--require', FAST_START, '--eval', `${report} require(${JSON.stringify(entry)})`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const stats = /cache (\{.*\})/.exec(child.stderr)?.[1];
  return { ...child, stats: stats ? (JSON.parse(stats) as { hits: number; misses: number; esbuild: boolean }) : undefined };
}

/** A small TypeScript program of two files using what tsc's CommonJS output supports. */
function program(): { dir: string; main: string } {
  const dir = tmp('ts-loader-src-');
  fs.writeFileSync(
    path.join(dir, 'shape.ts'),
    ["export type Shape = { readonly sides: number };", "export enum Kind { Square = 'square' }", 'export const square: Shape = { sides: 4 };'].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'main.ts'),
    [
      "import * as path from 'path';",
      "import { square, Kind, type Shape } from './shape';",
      'class Counter { count = 0; add(shape: Shape): this { this.count += shape.sides; return this; } }',
      'export const result = {',
      '  sides: new Counter().add(square).count,',
      '  kind: Kind.Square,',
      '  dirname: __dirname,',
      '  file: path.basename(__filename),',
      '  isMain: require.main === module,',
      '};',
      'console.log(JSON.stringify(result));',
    ].join('\n'),
  );
  return { dir, main: path.join(dir, 'main.ts') };
}

describe('the TypeScript loader', () => {
  it('runs TypeScript with CommonJS semantics: extensionless imports, enums, class fields, per-file __dirname', () => {
    const { dir, main } = program();
    const child = run(main, { PLATFORM_TS_CACHE: tmp('ts-loader-cache-') });
    expect(child.stderr).not.toMatch(/Error/);
    expect(JSON.parse(child.stdout)).toEqual({ sides: 4, kind: 'square', dirname: dir, file: 'main.ts', isMain: false });
  });

  it('transpiles a file once, then serves it from the cache without esbuild', () => {
    const { main } = program();
    const cache = tmp('ts-loader-cache-');
    expect(run(main, { PLATFORM_TS_CACHE: cache }).stats).toEqual({ hits: 0, misses: 2, esbuild: true });
    expect(fs.readdirSync(cache).filter((f) => f.endsWith('.js'))).toHaveLength(2);
    expect(run(main, { PLATFORM_TS_CACHE: cache }).stats).toEqual({ hits: 2, misses: 0, esbuild: false });
  });

  it('transpiles an edited file again', () => {
    const { dir, main } = program();
    const cache = tmp('ts-loader-cache-');
    run(main, { PLATFORM_TS_CACHE: cache });
    fs.appendFileSync(path.join(dir, 'shape.ts'), '\nexport const triangle: Shape = { sides: 3 };');
    expect(run(main, { PLATFORM_TS_CACHE: cache }).stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it('runs without a cache when told to, or when the cache cannot be written', () => {
    const { main } = program();
    const off = run(main, { PLATFORM_TS_CACHE: 'off' });
    expect(off.status).toBe(0);
    expect(off.stats).toMatchObject({ hits: 0, misses: 2 });
    const notADirectory = path.join(tmp('ts-loader-cache-'), 'file');
    fs.writeFileSync(notADirectory, '');
    const unwritable = run(main, { PLATFORM_TS_CACHE: notADirectory });
    expect(unwritable.status).toBe(0);
    expect(JSON.parse(unwritable.stdout)).toMatchObject({ sides: 4 });
  });

  it('empties a cache that has grown past its bound before adding to it', () => {
    const { main } = program();
    const cache = tmp('ts-loader-cache-');
    for (let i = 0; i <= MAX_CACHE_ENTRIES; i++) fs.writeFileSync(path.join(cache, `stale-${i}.js`), '');
    run(main, { PLATFORM_TS_CACHE: cache });
    expect(fs.readdirSync(cache).sort()).toHaveLength(2);
  });

  it('maps errors to the TypeScript lines when PLATFORM_TOKEN_STACK_TRACES=1 turns source maps on', () => {
    const dir = tmp('ts-loader-src-');
    const file = path.join(dir, 'boom.ts');
    fs.writeFileSync(file, ['type Unused = { a: number };', '', '', 'export function boom(): never {', "  throw new Error('boom');", '}', 'boom();'].join('\n'));
    const mapped = run(file, { PLATFORM_TS_CACHE: 'off', PLATFORM_TOKEN_STACK_TRACES: '1' });
    expect(mapped.stderr).toContain(`${file}:5`);
  });

  it('leaves .ts files to a loader registered before it (tsx)', () => {
    const { main } = program();
    const child = run(main, { PLATFORM_TS_CACHE: tmp('ts-loader-cache-') }, ['tsx/cjs']);
    expect(JSON.parse(child.stdout)).toMatchObject({ sides: 4 });
    expect(child.stats).toMatchObject({ hits: 0, misses: 0 });
  });
});
