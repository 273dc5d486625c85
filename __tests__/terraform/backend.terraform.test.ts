/**
 * The S3 backend every stack writes, read by real Terraform: `terraform init` validates the
 * backend arguments before it makes any request, so an argument Terraform rejects (a
 * `kms_key_id` that is not a key id, alias, key ARN or alias ARN) fails here offline, while a
 * valid configuration only fails later at the network (no bucket is reachable from a test).
 *
 * @slow 2 terraform init of one backend block
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newTestStack, synthJson } from '../helpers/platform';
import { runTerraform, terraformProblem } from '../../tools/terraform/terraform-cli';

const problem = terraformProblem();

/** The synthesized backend, without role assumption (no STS call) and with stub credentials. */
function offlineBackend(backend: Record<string, unknown>): Record<string, unknown> {
  const { assume_role: _assumeRole, ...rest } = backend;
  return {
    ...rest,
    access_key: 'AKIAIOSFODNN7EXAMPLE',
    secret_key: 'stub',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    max_retries: 1,
  };
}

async function init(backend: Record<string, unknown>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-'));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { backend: { s3: backend } } }));
  const run = await runTerraform(['init', '-input=false', '-no-color'], { cwd: dir, env: { TF_CLI_CONFIG_FILE: '/dev/null' } });
  return `${run.stdout}\n${run.stderr}`;
}

(problem ? describe.skip : describe)('the S3 backend of every stack', () => {
  const backend = offlineBackend(synthJson(newTestStack('dev', 'network')).terraform.backend.s3);

  it('names the state key in a form Terraform accepts', async () => {
    expect(backend.kms_key_id).toMatch(/^arn:aws:kms:/);
    const output = await init(backend);
    expect(output).toContain('Initializing the backend');
    expect(output).not.toMatch(/Invalid KMS Key/);
  });

  it('would be rejected with a kms_key_id Terraform does not accept (the check can fail)', async () => {
    const output = await init({ ...backend, kms_key_id: 'arn:aws:kms:eu-west-1:410987654321:terraform-state' });
    expect(output).toMatch(/Invalid KMS Key ARN/);
  });
});
