/**
 * Synthesizing every environment (tools/synth/synthesize.ts), in process and as `npm run synth`.
 *
 * @slow 10 synthesizes every environment, once as a node process
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { synthesize, stackJsonPath } from '../../../tools/synth/synthesize';
import { main } from '../../../tools/synth/cli';
import { ConfigError } from '../../../modules/core/config-issue';
import { copyEnvironmentsDir, shippedConfigs, writeEnvironment } from '../../helpers/environments';
import { deriveEnvironment } from '../../../environments/files';
import { npmScriptNodeArgs, PROJECT_ROOT } from '../../../tools/npm-script';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
const LAYERS_PER_WORKLOAD = ['network', 'observability', 'platform', 'secrets'];

describe('synthesizing every environment', () => {
  const outdir = path.join(tmp(), 'cdktf.out');
  const result = synthesize({ outdir });

  it('yields the layered stacks of each environment and the shared stacks', () => {
    const names = result.stacks.map((s) => s.name).sort();
    for (const env of ['dev', 'staging', 'prod']) {
      for (const layer of LAYERS_PER_WORKLOAD) expect(names).toContain(`${env}-${layer}`);
    }
    expect(names).toEqual(expect.arrayContaining(['shared-bootstrap', 'shared-network-hub', 'shared-log-archive', 'shared-registry', 'shared-network']));
  });

  it('gives every stack its own state key and the account it deploys into', () => {
    const keys = result.stacks.map((s) => s.stateKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.stacks.find((s) => s.name === 'shared-log-archive')).toMatchObject({ accountId: '310987654321', stateKey: 'shared/log-archive.tfstate' });
    expect(result.stacks.find((s) => s.name === 'dev-network')).toMatchObject({ accountId: '510987654321', stateKey: 'dev/network.tfstate' });
  });

  it('lists the stacks in apply order (stacks/apply-order.ts), so the table of npm run synth reads as a deployment runs', () => {
    expect(result.stacks.map((s) => s.name)).toEqual([
      'shared-bootstrap',
      'shared-log-archive',
      'shared-network-hub',
      'shared-registry',
      'shared-observability',
      'shared-network',
      'shared-secrets',
      ...['dev', 'staging', 'prod'].flatMap((env) => ['observability', 'network', 'secrets', 'platform'].map((layer) => `${env}-${layer}`)),
    ]);
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    try {
      expect(main(['--outdir', path.join(tmp(), 'cdktf.out')])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const rows = printed[0].split('\n').slice(1).map((row) => row.split(/\s+/)[0]);
    expect(rows).toEqual(result.stacks.map((s) => s.name));
  });

  it('writes one Terraform JSON per stack', () => {
    for (const stack of result.stacks) expect(fs.existsSync(stackJsonPath(outdir, stack.name))).toBe(true);
  });
});

describe('adding environments/qa/', () => {
  it('yields qa-* stacks with no other edit', () => {
    const dir = copyEnvironmentsDir();
    const qa = deriveEnvironment(shippedConfigs().staging, { name: 'qa', accountId: '810987654321', vpcCidr: '10.40.0.0/16', promotion: { from: 'staging' } });
    writeEnvironment(dir, 'qa', qa);
    writeEnvironment(dir, 'prod', { ...shippedConfigs().prod, promotion: { from: 'qa' } });
    const outdir = path.join(tmp(), 'cdktf.out');
    const names = synthesize({ environmentsDir: dir, outdir }).stacks.map((s) => s.name);
    expect(names.filter((name) => name.startsWith('qa-')).sort()).toEqual(LAYERS_PER_WORKLOAD.map((layer) => `qa-${layer}`));
    const backend = JSON.parse(fs.readFileSync(stackJsonPath(outdir, 'qa-network'), 'utf8')).terraform.backend.s3;
    expect(backend.key).toBe('qa/network.tfstate');
  });
});

describe('a synth that fails', () => {
  function brokenEnvironments(): string {
    const dir = copyEnvironmentsDir();
    writeEnvironment(dir, 'dev', { ...shippedConfigs().dev, accountId: 'not-an-account' });
    return dir;
  }

  it('writes nothing when the output directory does not exist yet', () => {
    const outdir = path.join(tmp(), 'cdktf.out');
    expect(() => synthesize({ environmentsDir: brokenEnvironments(), outdir })).toThrow(ConfigError);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  it('leaves the previous output untouched', () => {
    const outdir = path.join(tmp(), 'cdktf.out');
    synthesize({ outdir });
    const before = fs.readFileSync(stackJsonPath(outdir, 'dev-network'), 'utf8');
    expect(() => synthesize({ environmentsDir: brokenEnvironments(), outdir })).toThrow(/accountId: must be a 12-digit AWS account id/);
    expect(fs.readFileSync(stackJsonPath(outdir, 'dev-network'), 'utf8')).toBe(before);
  });

  it('makes `npm run synth` exit non-zero with the message and no stack trace', () => {
    const outdir = path.join(tmp(), 'cdktf.out');
    let failure: any;
    try {
      execFileSync(process.execPath, [...npmScriptNodeArgs('synth'), '--environments', brokenEnvironments(), '--outdir', outdir], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      failure = error;
    }
    expect(failure?.status).toBe(1);
    expect(failure.stderr).toMatch(/synth failed, nothing written:\n1 problem in the environment configs:\n  - environments\/dev\/config.ts: accountId/);
    expect(failure.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
