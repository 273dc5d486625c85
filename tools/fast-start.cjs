// Preloaded (`node -r ./tools/fast-start.cjs <entry>.ts`) by every TypeScript entry point of the
// platform: npm scripts, cdktf.json and the benchmark.
//
// 1. Registers the cached esbuild loader for `.ts` files (ts-loader.cjs).
// 2. Removes a cost of cdktf 0.21 the platform does not need, measured on a 25-environment synth
//    (5.7 s): cdktf captures a full stack trace (Error.stackTraceLimit = Infinity) for every token
//    it creates, only to print it when that token fails to resolve: ~20% of a synth.
//    PLATFORM_TOKEN_STACK_TRACES=1 keeps the traces and turns source maps on, for debugging such
//    a failure in terms of the TypeScript sources.
// 3. Defers cdktf's `archiver` to its first call: cdktf loads it at start-up (with lodash, glob
//    and readable-stream, ~230 of the ~380 files `require('cdktf')` reads: ~10% of a default
//    synth) for zipping TerraformAsset directories, which the platform never does (and which
//    cdktf does in a child process of its own anyway).
'use strict';
const loader = require('./ts-loader.cjs').createLoader();
loader.register();
/** The registered loader (its cache statistics, for tests). */
module.exports = loader;

if (process.env.PLATFORM_TOKEN_STACK_TRACES === '1') {
  process.setSourceMapsEnabled(true);
} else {
  // Another loader (tsx) may have turned source maps on: every error would be mapped back.
  process.setSourceMapsEnabled(false);
  // cdktf is final (archived at 0.21.0), so this internal module will not move.
  require('cdktf/lib/tokens/private/stack-trace').captureStackTrace = () => [];
}

const path = require('path');
const Module = require('module');
const archiverPath = require.resolve('archiver', { paths: [path.dirname(require.resolve('cdktf'))] });
const deferred = new Module(archiverPath, module);
deferred.filename = archiverPath;
deferred.loaded = true;
let archiver;
/** archiver's own factory (cdktf only calls it), loaded on the first call. */
deferred.exports = function deferredArchiver(...args) {
  if (!archiver) {
    delete require.cache[archiverPath];
    archiver = require(archiverPath);
  }
  return archiver(...args);
};
require.cache[archiverPath] = deferred;
