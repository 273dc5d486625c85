// @ts-check
// Jest's test sequencer (jest.config.js `testSequencer`), with one change for runs jest has no
// timings for yet (a fresh clone, CI): suites that declare themselves slow start first.
//
// Jest orders suites it has timed by their last duration, longest first, so that no worker is
// left with a long suite at the end. Without timings it orders by file size, and the slowest
// suites here are small files that drive terraform or node processes: the Terraform checks of
// every stack (1.7 KB) would start last and run alone for most of a minute.
//
// A suite declares itself slow in its leading docblock, with the CPU seconds it takes on a 2-core
// CI machine and why:
//
//   /**
//    * @slow 80 terraform test of every synthesized stack
//    */
//
// Those without timings run first, most CPU first; then everything else in jest's own order.
'use strict';
const fs = require('fs');
const { extract, parse } = require('jest-docblock');
const TestSequencer = require('@jest/test-sequencer').default;

const SLOW_PRAGMA = 'slow';

/**
 * The CPU seconds a suite's `@slow` pragma declares, or undefined when it has none.
 * @param {string} source the suite's source
 * @param {string} file the suite's path, for the error
 * @returns {number | undefined}
 */
function declaredCpuSeconds(source, file) {
  const value = parse(extract(source))[SLOW_PRAGMA];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(' ') : value;
  const seconds = Number(text.split(/\s+/)[0]);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(
      `${file}: @slow must start with the CPU seconds the suite takes, then why (e.g. "@slow 40 runs terraform test"), got "@slow ${text}"`,
    );
  }
  return seconds;
}

/**
 * Moves the suites without a timing that declare themselves slow to the front, most CPU first;
 * the rest keep their order.
 * @template {{ path: string, duration?: number | null }} T
 * @param {readonly T[]} sorted suites in jest's order
 * @param {(file: string) => number | undefined} cpuSecondsOf
 * @returns {T[]}
 */
function slowFirst(sorted, cpuSecondsOf) {
  const slow = sorted
    .filter((test) => test.duration == null)
    .map((test) => ({ test, seconds: cpuSecondsOf(test.path) }))
    .filter((entry) => entry.seconds !== undefined)
    .sort((a, b) => Number(b.seconds) - Number(a.seconds));
  const moved = new Set(slow.map((entry) => entry.test));
  return [...slow.map((entry) => entry.test), ...sorted.filter((test) => !moved.has(test))];
}

class SlowFirstSequencer extends TestSequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const sorted = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    return slowFirst(sorted, (file) => declaredCpuSeconds(fs.readFileSync(file, 'utf8'), file));
  }
}

module.exports = SlowFirstSequencer;
module.exports.declaredCpuSeconds = declaredCpuSeconds;
module.exports.slowFirst = slowFirst;
