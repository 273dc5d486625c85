/**
 * The pack inside `npm run synth`: the shipped environments are clean, and an error finding
 * fails the synth with the full list and no output. Other modules are being built at the same
 * time; when this suite fails on the shipped environments, the message lists the findings.
 *
 * @slow 6 synthesizes every environment
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { GuardrailError, errorsOf, formatFinding } from '../../../modules/guardrails';
import { synthesize } from '../../../tools/synth/synthesize';
import { main } from '../../../tools/synth/cli';

/** Stacks (by name) that get an unencrypted SNS topic injected, for the failure tests. */
const inject = new Set<string>();
/**
 * `real`: the platform as shipped. `minimal`: two guarded empty stacks of the shipped
 * environments, so the failure tests of synthesize.ts do not depend on the other modules.
 */
let build: 'real' | 'minimal' = 'real';

jest.mock('../../../stacks/platform-app', () => {
  const real = jest.requireActual('../../../stacks/platform-app');
  const { LayerStack } = jest.requireActual('../../../stacks/layer-stack');
  const { applyGuardrails } = jest.requireActual('../../../modules/guardrails');
  return {
    ...real,
    buildPlatform: (app: any, platform: any) => {
      const built =
        build === 'real'
          ? real.buildPlatform(app, platform)
          : {
              all: ['dev', 'prod'].map((env) => {
                const stack = new LayerStack(app, { platform, environment: platform.environment(env), layer: 'observability' });
                applyGuardrails(stack);
                return stack;
              }),
            };
      for (const stack of built.all) if (inject.has(stack.node.id)) new SnsTopic(stack, 'injected_unencrypted', { name: 'injected' });
      return built;
    },
  };
});

let outdir: string;
beforeEach(() => {
  inject.clear();
  build = 'real';
  outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-synth-')), 'cdktf.out');
});
afterEach(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

describe('the shipped environments', () => {
  test('synthesize with zero error findings, every stack reported', () => {
    let result: ReturnType<typeof synthesize> | undefined;
    try {
      result = synthesize({ outdir });
    } catch (error) {
      if (error instanceof GuardrailError) throw new Error(`guardrail errors in the shipped environments:\n${errorsOf(error.reports).map(formatFinding).join('\n')}`);
      throw error;
    }
    expect(errorsOf(result.guardrails)).toEqual([]);
    expect(result.guardrails.map((r) => r.stack)).toEqual(result.stacks.map((s) => s.name));
    for (const report of result.guardrails) expect(report.checks).toBe(report.passed + report.suppressed + report.warned + report.failed);
  });
});

describe('an error finding', () => {
  beforeEach(() => {
    build = 'minimal';
  });

  test('fails the synth listing the errors of every stack, and writes nothing', () => {
    inject.add('dev-observability');
    inject.add('prod-observability');
    let thrown: unknown;
    try {
      synthesize({ outdir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GuardrailError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/^guardrails: \d+ error\(s\) in \d+ stack\(s\); nothing was synthesized/);
    expect(message).toMatch(/ERROR PLAT-SNS-1 aws_sns_topic.injected_unencrypted \[dev-observability\/injected_unencrypted\]: kms_master_key_id is not set/);
    expect(message).toMatch(/ERROR PLAT-SNS-1 aws_sns_topic.injected_unencrypted \[prod-observability\/injected_unencrypted\]/);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  test('leaves the previous output in place', () => {
    synthesizeOrExplain();
    const marker = path.join(outdir, 'previous.txt');
    fs.writeFileSync(marker, 'from the last good synth');
    inject.add('dev-observability');
    expect(() => synthesize({ outdir })).toThrow(GuardrailError);
    expect(fs.readFileSync(marker, 'utf8')).toBe('from the last good synth');
  });
});

describe('npm run synth', () => {
  beforeEach(() => {
    build = 'minimal';
  });

  function capture(fn: () => number): { code: number; out: string; err: string } {
    const out: string[] = [];
    const err: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...args) => void err.push(args.join(' ')));
    try {
      return { code: fn(), out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  test('ends with the compliance summary per stack', () => {
    const { code, out } = capture(() => main(['--outdir', outdir]));
    expect(code).toBe(0);
    const summary = out.slice(out.indexOf('compliance:'));
    expect(summary).toMatch(/stack\s+tier\s+rules\s+checks\s+passed\s+suppressed\s+warned\s+failed/);
    expect(summary).toMatch(/dev-observability\s+dev\s+\d+\s+\d+\s+\d+\s+0\s+0\s+0/);
    expect(summary).toMatch(/prod-observability\s+prod\s+\d+/);
  });

  test('fails with the list of findings and exit code 1', () => {
    inject.add('prod-observability');
    const { code, err } = capture(() => main(['--outdir', outdir]));
    expect(code).toBe(1);
    expect(err).toMatch(/synth failed, nothing written:\nguardrails: 1 error\(s\) in 1 stack\(s\)/);
    expect(err).toMatch(/ERROR PLAT-SNS-1 aws_sns_topic.injected_unencrypted \[prod-observability\/injected_unencrypted\]/);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

function synthesizeOrExplain(): void {
  try {
    synthesize({ outdir });
  } catch (error) {
    if (error instanceof GuardrailError) throw new Error(`cannot test: the minimal stacks have guardrail errors:\n${error.message}`);
    throw error;
  }
}
