/** What tools/fast-start.cjs changes in every entry point, checked in real node processes. */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const FAST_START = path.join(ROOT, 'tools', 'fast-start.cjs');

function runUnderFastStart(script: string): string {
  const child = spawnSync(process.execPath, ['--require', FAST_START, '--eval', script], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`node exited ${child.status}:\n${child.stderr}`);
  return child.stdout.trim();
}

describe("cdktf's archiver", () => {
  const loadedArchiverFiles = "Object.keys(require.cache).filter((f) => /node_modules\\/(archiver-utils|lodash|zip-stream)\\//.test(f)).length";

  it('is not loaded with cdktf', () => {
    expect(runUnderFastStart(`require('cdktf'); console.log(${loadedArchiverFiles});`)).toBe('0');
  });

  it('loads on its first call and zips as before', () => {
    const script = [
      "const archiver = require(require.resolve('archiver', { paths: [require('path').dirname(require.resolve('cdktf'))] }));",
      "const archive = archiver('zip');",
      "archive.append('hello', { name: 'hello.txt' });",
      'const chunks = [];',
      "archive.on('data', (c) => chunks.push(c));",
      `archive.on('end', () => console.log(${loadedArchiverFiles} > 0, Buffer.concat(chunks).subarray(0, 2).toString()));`,
      'archive.finalize();',
    ].join('\n');
    expect(runUnderFastStart(script)).toBe('true PK');
  });
});
