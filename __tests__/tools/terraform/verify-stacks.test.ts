/**
 * The Terraform checks themselves: the check workspace, the provider source, and a real run that ties each error to its stack.
 *
 * @slow 19 terraform test and validate of fixture stacks
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeCheckWorkspace, CHECK_TEST_FILE } from '../../../tools/terraform/check-workspace';
import { NOT_PLANNED, setupProblem, verifyStacks } from '../../../tools/terraform/verify-stacks';
import { resolveProviderSource, mirrorProblem, writeCliConfig } from '../../../tools/terraform/provider-source';
import { terraformProblem } from '../../../tools/terraform/terraform-cli';

const provider = (account: string, alias?: string) => ({ ...(alias ? { alias } : {}), region: 'eu-west-1', allowed_account_ids: [account] });
const required = { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } };

/** A fake cdktf.out with hand-made stacks. */
function outdirWith(stacks: Record<string, object>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-out-'));
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return outdir;
}

const producer = {
  terraform: { ...required, backend: { s3: { bucket: 'b', key: 'dev/network.tfstate', region: 'eu-west-1' } } },
  provider: { aws: [provider('111111111111')] },
  resource: { aws_vpc: { vpc: { cidr_block: '10.0.0.0/16' } }, aws_subnet: { a: { vpc_id: '${aws_vpc.vpc.id}', cidr_block: '10.0.0.0/24' } } },
  output: { vpc_id: { value: '${aws_vpc.vpc.id}' }, subnet_ids: { value: ['${aws_subnet.a.id}'] } },
};
const consumer = {
  terraform: { ...required, backend: { s3: { bucket: 'b', key: 'dev/platform.tfstate', region: 'eu-west-1' } } },
  provider: { aws: [provider('111111111111'), provider('222222222222', 'hub')] },
  data: { terraform_remote_state: { network: { backend: 's3', config: { bucket: 'b', key: 'dev/network.tfstate', region: 'eu-west-1' } } } },
  resource: {
    aws_security_group: { app: { vpc_id: '${data.terraform_remote_state.network.outputs.vpc_id}' } },
    aws_lb: { alb: { subnets: '${data.terraform_remote_state.network.outputs.subnet_ids}', provider: 'aws.hub' } },
    // The provider validates this as an ARN even under a mock: it passes only with ARN-shaped mock values.
    aws_lb_listener: { http: { load_balancer_arn: '${aws_lb.alb.arn}', port: 80, protocol: 'HTTP', default_action: [{ type: 'fixed-response', fixed_response: [{ content_type: 'text/plain', status_code: '404' }] }], provider: 'aws.hub' } },
  },
};

describe('the check workspace', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-ws-'));
  const checked = writeCheckWorkspace(outdirWith({ 'dev-network': producer, 'dev-platform': consumer }), workdir, ['dev-network', 'dev-platform']);
  const root = JSON.parse(fs.readFileSync(path.join(workdir, 'main.tf.json'), 'utf8'));
  const child = JSON.parse(fs.readFileSync(path.join(workdir, 'stacks', 'dev-platform', 'cdk.tf.json'), 'utf8'));
  const testFile = fs.readFileSync(path.join(workdir, CHECK_TEST_FILE), 'utf8');

  it('holds every stack as a module and passes one provider into every slot, aliases included', () => {
    expect(checked.map((c) => c.module)).toEqual(['dev_network', 'dev_platform']);
    expect(root.module.dev_platform).toEqual({ source: './stacks/dev-platform', providers: { aws: 'aws', 'aws.hub': 'aws' } });
    expect(root.provider.aws).toHaveLength(1);
  });

  it('keeps each stack\'s own provider configurations for the schema check', () => {
    expect(checked[1].providerConfigs).toContainEqual(expect.objectContaining({ alias: 'hub', allowed_account_ids: ['222222222222'] }));
  });

  it('drops backends and providers from the stack copies and declares their aliases', () => {
    expect(child.terraform.backend).toBeUndefined();
    expect(child.provider).toBeUndefined();
    expect(child.terraform.required_providers.aws.configuration_aliases).toEqual(['aws.hub']);
  });

  it('mocks every provider and overrides remote state with values shaped like the producer outputs', () => {
    expect(testFile.match(/mock_provider "aws"/g)).toHaveLength(1);
    expect(testFile).toContain('target = module.dev_platform.data.terraform_remote_state.network');
    expect(testFile).toContain('"subnet_ids":["mock-subnet_ids_0"]');
    expect(testFile).toMatch(/run "plan_and_apply" \{\n  command = apply\n\}/);
  });
});

describe('a machine without terraform', () => {
  it('is told what to install or set, in one line', () => {
    expect(terraformProblem({ ...process.env, TERRAFORM_BIN: '/nonexistent/terraform' })).toMatch(
      /^terraform was not found \(tried `\/nonexistent\/terraform`\): install Terraform >= 1\.11 .* or set TERRAFORM_BIN to its path$/,
    );
  });
});

describe('the provider source', () => {
  it('prefers TF_PROVIDER_MIRROR, then /opt/tf-plugins, then the registry', () => {
    expect(resolveProviderSource({ TF_PROVIDER_MIRROR: '/somewhere' })).toEqual({ kind: 'mirror', path: '/somewhere', from: 'env' });
  });

  it('explains a mirror without the AWS provider', () => {
    expect(mirrorProblem({ kind: 'mirror', path: '/nonexistent', from: 'env' })).toMatch(
      /the provider mirror TF_PROVIDER_MIRROR=\/nonexistent has no hashicorp\/aws 5.100.0 .*point TF_PROVIDER_MIRROR at one/,
    );
  });

  it('writes a CLI config that installs hashicorp providers only from the mirror', () => {
    const file = writeCliConfig(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), { kind: 'mirror', path: '/opt/m', from: 'env' });
    expect(fs.readFileSync(file, 'utf8')).toMatch(/filesystem_mirror \{\n    path    = "\/opt\/m"/);
  });
});

const problem = setupProblem();
(problem ? describe.skip : describe)('verifying with real Terraform', () => {
  it('passes good stacks and ties each error to the stack that has it', async () => {
    const broken = {
      terraform: required,
      provider: { aws: [provider('333333333333')] },
      resource: {
        aws_s3_bucket_policy: { missing_policy: { bucket: 'b' } },
      },
    };
    const failsApply = {
      terraform: required,
      provider: { aws: [provider('444444444444')] },
      resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/16', lifecycle: { postcondition: [{ condition: '${self.cidr_block == "10.9.0.0/16"}', error_message: 'refused by test' }] } } } },
    };
    const badProvider = {
      terraform: required,
      provider: { aws: [{ ...provider('555555555555'), assume_role: [{ role_arn: 'arn:aws:iam::555555555555:role/x', sesion_name: 'typo' }] }] },
      resource: { aws_sns_topic: { t: { name: 't' } } },
    };
    const outdir = outdirWith({ 'dev-network': producer, 'dev-platform': consumer, 'x-broken': broken, 'y-fails': failsApply, 'z-provider': badProvider });
    // One root: the verdicts are what is under test here, and each root costs a few AWS provider
    // starts (the shipped-stack suite runs the default shards, in parallel).
    const result = await verifyStacks({ outdir, workdir: fs.mkdtempSync(path.join(os.tmpdir(), 'verify-')), shards: 1 });
    const byStack = Object.fromEntries(result.stacks.map((s) => [s.stack, s]));
    expect(byStack['dev-network']).toEqual({ stack: 'dev-network', validateErrors: [], testErrors: [] });
    expect(byStack['dev-platform']).toEqual({ stack: 'dev-platform', validateErrors: [], testErrors: [] });
    expect(byStack['x-broken'].validateErrors.join('\n')).toMatch(/Missing required argument.*"policy" is required/);
    expect(byStack['x-broken'].testErrors).toEqual([NOT_PLANNED]);
    expect(byStack['y-fails'].testErrors.join('\n')).toMatch(/refused by test/);
    expect(byStack['z-provider'].validateErrors).toEqual(['provider "aws".assume_role: unsupported argument "sesion_name"']);
    expect(result.testsPassed).toBe(false);
  }, 120_000);
});
