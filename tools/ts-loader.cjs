// The TypeScript loader of the platform's entry points (`node -r ./tools/fast-start.cjs x.ts`).
//
// Each `.ts` file is transpiled by esbuild (types stripped, CommonJS out, no type check: that is
// `tsc --noEmit`'s job) and the result is cached on disk, keyed by the file's path and content,
// esbuild's version and the compiler options. A synth that finds every file in the cache never
// starts esbuild. Compared with tsx, which this replaces on the synth path, nothing else is
// hooked: `.js` files in node_modules load through Node untouched, and module resolution is
// Node's own (registering `.ts` makes extensionless `require('./x')` find `x.ts`). That halves
// the time to load the code (issue "Benchmark").
//
// Semantics match tsc's CommonJS output for this repository: every file keeps its own
// `__dirname`, `module` and `require.main`, and the tsconfig's compiler options (target,
// esModuleInterop, ...) are handed to esbuild. Every transpiled file carries an inline source
// map; Node uses it only when source maps are on (`PLATFORM_TOKEN_STACK_TRACES=1`, see
// fast-start.cjs, or `node --enable-source-maps`).
//
// PLATFORM_TS_CACHE=<dir> moves the cache (default node_modules/.cache/platform-ts);
// PLATFORM_TS_CACHE=off disables it. An unwritable cache is not an error: files are then
// transpiled on every run.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const DEFAULT_CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'platform-ts');
/** A cache that grows past this many entries (stale versions of edited files) is emptied. */
const MAX_CACHE_ENTRIES = 2000;

function compilerOptions() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions ?? {};
  } catch (error) {
    throw new Error(`ts-loader: cannot read ${path.join(ROOT, 'tsconfig.json')}: ${error.message}`);
  }
}

function cacheDirectory(setting) {
  if (setting === 'off') return undefined;
  return setting ? path.resolve(setting) : DEFAULT_CACHE_DIR;
}

function createLoader({ cacheDir = cacheDirectory(process.env.PLATFORM_TS_CACHE) } = {}) {
  const tsconfigRaw = { compilerOptions: compilerOptions() };
  // esbuild is loaded (and its service started) only on a cache miss. Its version is part of
  // every key, read from its package.json, which costs far less than loading esbuild itself.
  const esbuildVersion = require('esbuild/package.json').version;
  const keyPrefix = JSON.stringify({ esbuildVersion, tsconfigRaw });
  let esbuild;
  let pruned = false;
  const stats = { hits: 0, misses: 0 };

  function transpile(source, filename) {
    esbuild ??= require('esbuild');
    return esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
      tsconfigRaw,
    }).code;
  }

  function pruneOnce() {
    if (pruned) return;
    pruned = true;
    const entries = fs.readdirSync(cacheDir);
    if (entries.length > MAX_CACHE_ENTRIES) for (const entry of entries) fs.rmSync(path.join(cacheDir, entry), { force: true });
  }

  function store(file, code) {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      pruneOnce();
      // Written aside and renamed into place, so a concurrent run never reads half a file.
      const partial = `${file}.${process.pid}.partial`;
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, file);
    } catch {
      // A read-only checkout still runs, only without the cache.
    }
  }

  function compiled(filename) {
    const source = fs.readFileSync(filename, 'utf8');
    if (!cacheDir) {
      stats.misses++;
      return transpile(source, filename);
    }
    const key = crypto.createHash('sha256').update(keyPrefix).update('\0').update(filename).update('\0').update(source).digest('hex');
    const file = path.join(cacheDir, `${key}.js`);
    try {
      const code = fs.readFileSync(file, 'utf8');
      stats.hits++;
      return code;
    } catch {
      stats.misses++;
      const code = transpile(source, filename);
      store(file, code);
      return code;
    }
  }

  return {
    cacheDir,
    stats,
    compiled,
    /** Loads `.ts` files through this loader, unless another loader (tsx, ts-node) already does. */
    register() {
      if (require.extensions['.ts']) return false;
      require.extensions['.ts'] = (module, filename) => module._compile(compiled(filename), filename);
      return true;
    },
  };
}

module.exports = { createLoader, DEFAULT_CACHE_DIR, MAX_CACHE_ENTRIES };
