/** Runs the terraform binary: found on PATH (or `TERRAFORM_BIN`), version checked once. */
import { execFileSync, spawn } from 'child_process';

export const TERRAFORM_BIN_ENV = 'TERRAFORM_BIN';
/** Native S3 locking (`use_lockfile`) and write-only arguments need these. */
export const MINIMUM_TERRAFORM = { major: 1, minor: 11 } as const;

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env[TERRAFORM_BIN_ENV] || 'terraform';
}

/** Why terraform cannot be used here, or undefined when it can. */
export function terraformProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bin = terraformBinary(env);
  let version: string;
  try {
    const out = execFileSync(bin, ['version', '-json'], { encoding: 'utf8', env: { ...env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    version = JSON.parse(out).terraform_version as string;
  } catch {
    return (
      `terraform was not found (tried \`${bin}\`): install Terraform >= ${MINIMUM_TERRAFORM.major}.${MINIMUM_TERRAFORM.minor} ` +
      `(https://developer.hashicorp.com/terraform/install) or set ${TERRAFORM_BIN_ENV} to its path`
    );
  }
  const [major, minor] = version.split('.').map(Number);
  if (major < MINIMUM_TERRAFORM.major || (major === MINIMUM_TERRAFORM.major && minor < MINIMUM_TERRAFORM.minor)) {
    return `terraform ${version} is too old: the stacks need >= ${MINIMUM_TERRAFORM.major}.${MINIMUM_TERRAFORM.minor} (use_lockfile, write-only arguments)`;
  }
  return undefined;
}

export function runTerraform(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraformBinary(options.env), args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
