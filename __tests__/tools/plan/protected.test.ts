/**
 * @slow 4 synthesizes the platform once
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadFixture, fixturePath } from './fixtures';
import {
  allowDestroyLabel,
  checkProtection,
  main,
  parseLabels,
  protectedDestroys,
  protectionRecord,
  renderProtectionSection,
  resourceAddress,
} from '../../../tools/plan/protected';
import type { ProtectionRecord } from '../../../modules/core/protection';
import type { PlanJson } from '../../../tools/plan/plan-json';
import { synthesize } from '../../../tools/synth/synthesize';
import { synthDir as synthDirOf } from '../../helpers/synth-dir';

// The fixtures are real plans of terraform_data; their constructs would declare them like this.
const declared = { 'terraform_data.obsolete': 'holds data', 'terraform_data.blue_green': 'carries the app', 'terraform_data.server': 'the database' };

/** A synth directory holding the protection records of `stacks` (what `npm run synth` writes). */
function synthDir(stacks: Record<string, ProtectionRecord>): string {
  return synthDirOf(Object.fromEntries(Object.entries(stacks).map(([stack, record]) => [stack, { '//': { metadata: {}, protection: record }, resource: {} }])), 'protected-synth-');
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('protected resources', () => {
  it.each([
    ['delete', [{ address: 'terraform_data.obsolete', type: 'terraform_data', action: 'destroy', reason: 'holds data' }]],
    ['replace-create-before-destroy', [{ address: 'terraform_data.blue_green', type: 'terraform_data', action: 'replace', reason: 'carries the app' }]],
    ['replace-delete-before-create', [expect.objectContaining({ action: 'replace', reason: 'the database' })]],
    ['update-in-place', []],
    ['create', []],
    ['forget', []],
  ])('%s: finds %j', (fixture, expected) => {
    expect(protectedDestroys(loadFixture(fixture), declared)).toEqual(expected);
  });

  it('protects only what a construct declared', () => {
    expect(protectedDestroys(loadFixture('delete'), { 'terraform_data.app': 'not deleted here' })).toEqual([]);
  });

  it.each([
    ['aws_subnet.app["eu-west-1a"]', 'aws_subnet.app'],
    ['aws_subnet.app[0]', 'aws_subnet.app'],
    ['aws_vpc.main', 'aws_vpc.main'],
  ])('declarations cover every instance: %s -> %s', (address, resource) => {
    expect(resourceAddress(address)).toBe(resource);
  });

  it.each([
    ['allow-destroy:dev,needs-review', ['allow-destroy:dev', 'needs-review']],
    ['["allow-destroy:dev"]', ['allow-destroy:dev']],
    ['', []],
  ])('reads labels %j', (text, labels) => {
    expect(parseLabels(text)).toEqual(labels);
  });

  describe('protection records', () => {
    it('joins the head and the base synth: a removed resource or stack is declared in the base only', () => {
      const head = synthDir({ 'dev-app': { environment: 'dev', resources: { 'terraform_data.kept': 'a' } } });
      const base = synthDir({
        'dev-app': { environment: 'dev', resources: { 'terraform_data.kept': 'a', 'terraform_data.obsolete': 'b' } },
        'dev-removed': { environment: 'dev', resources: { 'terraform_data.gone': 'c' } },
      });
      expect(protectionRecord('dev-app', [head, base])).toEqual({ environment: 'dev', resources: { 'terraform_data.kept': 'a', 'terraform_data.obsolete': 'b' } });
      expect(protectionRecord('dev-removed', [head, base]).resources).toEqual({ 'terraform_data.gone': 'c' });
    });

    it('refuses a stack it has no record of (unknown protection is no pass)', () => {
      const head = synthDir({});
      expect(() => protectionRecord('dev-app', [head])).toThrow(/no synthesized stack dev-app in .*: its protected resources are unknown; pass --synth/);
    });

    it('refuses a synth written before records existed', () => {
      const dir = synthDir({});
      fs.mkdirSync(path.join(dir, 'stacks', 'dev-app'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', 'dev-app', 'cdk.tf.json'), JSON.stringify({ '//': { metadata: {} } }));
      expect(() => protectionRecord('dev-app', [dir])).toThrow(/has no "\/\/".protection record; .* synthesize it again/);
    });
  });

  describe('the CLI', () => {
    const synth = synthDir({
      app: { environment: 'dev', resources: declared },
      bg: { environment: 'dev', resources: declared },
      prodapp: { environment: 'prod', resources: declared },
    });

    it('passes a plan without destroys', async () => {
      expect(await run('--plan', `app=${fixturePath('update-in-place')}`, '--synth', synth)).toEqual({ code: 0, stdout: 'no protected resource is destroyed\n', stderr: '' });
    });

    it('stops a plan that destroys a protected resource, with one line per resource and the label to add', async () => {
      expect(await run('--plan', `app=${fixturePath('delete')}`, '--plan', `bg=${fixturePath('replace-create-before-destroy')}`, '--synth', synth)).toEqual({
        code: 1,
        stdout: 'STOP app: terraform_data.obsolete will be destroyed (holds data)\nSTOP bg: terraform_data.blue_green will be replaced (carries the app)\n',
        stderr: 'check-protected: 2 protected resource(s) would be destroyed; add the label allow-destroy:dev to the pull request if that is intended\n',
      });
    });

    it.each(['allow-destroy:dev', '["needs-review","allow-destroy:dev"]'])('lets the labels %j allow it', async (labels) => {
      const { code, stdout } = await run('--plan', `app=${fixturePath('delete')}`, '--synth', synth, '--labels', labels);
      expect(code).toBe(0);
      expect(stdout).toBe('allowed app: terraform_data.obsolete will be destroyed (holds data)\n1 protected resource(s) will be destroyed: allowed by allow-destroy:dev\n');
    });

    it.each([
      ['another environment', 'allow-destroy:prod', ''],
      ['no environment', 'allow-destroy', ' (the label allow-destroy names no environment and allows nothing)'],
    ])('does not let a label of %s allow it', async (_, labels, note) => {
      const { code, stderr } = await run('--plan', `app=${fixturePath('delete')}`, '--synth', synth, '--labels', labels);
      expect(code).toBe(1);
      expect(stderr).toBe(`check-protected: 1 protected resource(s) would be destroyed; add the label allow-destroy:dev to the pull request if that is intended${note}\n`);
    });

    it('needs each environment its own label', async () => {
      const argv = ['--plan', `app=${fixturePath('delete')}`, '--plan', `prodapp=${fixturePath('delete')}`, '--synth', synth, '--labels', 'allow-destroy:dev'];
      const { code, stdout, stderr } = await run(...argv);
      expect(code).toBe(1);
      expect(stdout).toContain('allowed app: ');
      expect(stdout).toContain('STOP prodapp: ');
      expect(stderr).toMatch(/add the label allow-destroy:prod /);
    });

    it('writes the findings as JSON and the comment section as markdown', async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'protected-out-'));
      await run('--plan', `app=${fixturePath('delete')}`, '--synth', synth, '--labels', 'allow-destroy', '--json', `${out}/p.json`, '--markdown', `${out}/p.md`);
      const result = JSON.parse(fs.readFileSync(`${out}/p.json`, 'utf8'));
      expect(result).toEqual({
        findings: [{ stack: 'app', environment: 'dev', address: 'terraform_data.obsolete', type: 'terraform_data', action: 'destroy', reason: 'holds data', label: 'allow-destroy:dev', allowed: false }],
        refused: 1,
        ignoredLabels: ['allow-destroy'],
      });
      expect(fs.readFileSync(`${out}/p.md`, 'utf8')).toBe(
        [
          '### :no_entry: 1 protected resource(s) would be destroyed',
          '',
          '| stack | resource | action | protected because | allowed by |',
          '| --- | --- | --- | --- | --- |',
          '| app | `terraform_data.obsolete` | destroy | holds data | `allow-destroy:dev` (missing) |',
          '',
          'Apply refuses these unless the pull request carries `allow-destroy:dev`.',
          '',
          'The label `allow-destroy` names no environment and allows nothing; use `allow-destroy:<environment>`.',
          '',
        ].join('\n'),
      );
    });

    it('writes an empty section when nothing protected is touched', async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'protected-out-'));
      await run('--plan', `app=${fixturePath('create')}`, '--synth', synth, '--markdown', `${out}/p.md`);
      expect(fs.readFileSync(`${out}/p.md`, 'utf8')).toBe('');
    });

    it.each([
      [['--plan', 'app'], /^check-protected: --plan "app" has no "="/],
      [['--plan', `app=${__filename}`], /^check-protected: ".*protected.test.ts" is not JSON/],
      [['--plan', `unknown=${fixturePath('delete')}`, '--synth', synth], /^check-protected: no synthesized stack unknown in /],
    ])('refuses bad input %j with one line', async (argv, message) => {
      const { code, stderr } = await run(...argv);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  describe('what the platform protects (every synthesized stack)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'protected-platform-'));
    const { stacks } = synthesize({ outdir });
    const records = new Map(stacks.map((s) => [s.name, protectionRecord(s.name, [outdir])]));
    const declaredTypes = new Set([...records.values()].flatMap((r) => Object.keys(r.resources).map((a) => a.split('.')[0])));

    /** A plan that deletes (or replaces) every protected resource of the stack. */
    function destroyingPlan(record: ProtectionRecord, actions: string[]): PlanJson {
      return {
        format_version: '1.2',
        resource_changes: Object.keys(record.resources).map((address) => {
          const [type, name] = address.split('.');
          return { address, mode: 'managed', type, name, change: { actions, before: {}, after: actions.includes('create') ? {} : null } };
        }),
      } as PlanJson;
    }

    it.each([
      'aws_kms_key',
      'aws_kms_replica_key',
      'aws_s3_bucket',
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_object_lock_configuration',
      'aws_backup_vault',
      'aws_backup_vault_lock_configuration',
      'aws_cloudtrail',
      'aws_vpc',
      'aws_ec2_transit_gateway',
      'aws_ec2_transit_gateway_vpc_attachment',
      'aws_ec2_transit_gateway_route_table',
      'aws_ram_resource_share',
      'aws_secretsmanager_secret',
      'aws_ecr_repository',
      'aws_iam_openid_connect_provider',
    ])('%s is declared protected by its construct', (type) => {
      expect(declaredTypes).toContain(type);
    });

    it('protects the state bucket, its versioning and key, and the archive bucket with its object lock', () => {
      const bootstrap = Object.values(records.get('shared-bootstrap')!.resources).join('\n');
      expect(bootstrap).toMatch(/bucket acme-platform-terraform-state/);
      expect(bootstrap).toMatch(/versioning of acme-platform-terraform-state/);
      expect(bootstrap).toMatch(/KMS key alias\/platform\/terraform-state/);
      expect(Object.keys(records.get('shared-log-archive')!.resources).map((a) => a.split('.')[0])).toEqual(
        expect.arrayContaining(['aws_s3_bucket', 'aws_s3_bucket_versioning', 'aws_s3_bucket_object_lock_configuration']),
      );
    });

    it.each([
      ['destroy', ['delete']],
      ['replace', ['delete', 'create']],
      ['replace (create first)', ['create', 'delete']],
    ])('every protected resource of every stack is refused on %s, allowed by its environment label only', (_, actions) => {
      for (const [stack, record] of records) {
        const plans = [{ stack, plan: destroyingPlan(record, actions) }];
        const recordOf = () => record;
        const count = Object.keys(record.resources).length;
        expect([stack, checkProtection(plans, recordOf, []).refused]).toEqual([stack, count]);
        expect([stack, checkProtection(plans, recordOf, [allowDestroyLabel(record.environment)]).refused]).toEqual([stack, 0]);
        const other = record.environment === 'prod' ? 'dev' : 'prod';
        expect([stack, checkProtection(plans, recordOf, [allowDestroyLabel(other), 'allow-destroy']).refused]).toEqual([stack, count]);
      }
    });

    it('renders nothing for a plan that touches nothing protected', () => {
      expect(renderProtectionSection(checkProtection([], () => records.get('dev-network')!, []))).toBe('');
    });
  });
});
