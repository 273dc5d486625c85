/**
 * Where `terraform init` gets the AWS provider from, in this order:
 *
 * 1. the directory named by `TF_PROVIDER_MIRROR` (a filesystem mirror: `registry.terraform.io/hashicorp/aws/...`);
 * 2. `/opt/tf-plugins`, when it exists (the mirror of our CI machines);
 * 3. the public registry.
 *
 * The CLI config is generated (never the user's `~/.terraformrc`), so a stray
 * `TF_CLI_CONFIG_FILE` cannot change what the checks run against.
 */
import * as fs from 'fs';
import * as path from 'path';

export const PROVIDER_MIRROR_ENV = 'TF_PROVIDER_MIRROR';
export const DEFAULT_PROVIDER_MIRROR = '/opt/tf-plugins';
/** The provider version `@cdktf/provider-aws` 20.1.0 pins in every synthesized stack. */
export const AWS_PROVIDER_VERSION = '5.100.0';

export type ProviderSource =
  | { readonly kind: 'mirror'; readonly path: string; readonly from: 'env' | 'default' }
  | { readonly kind: 'registry' };

export function resolveProviderSource(env: NodeJS.ProcessEnv = process.env): ProviderSource {
  const fromEnv = env[PROVIDER_MIRROR_ENV];
  if (fromEnv) return { kind: 'mirror', path: path.resolve(fromEnv), from: 'env' };
  if (fs.existsSync(DEFAULT_PROVIDER_MIRROR)) return { kind: 'mirror', path: DEFAULT_PROVIDER_MIRROR, from: 'default' };
  return { kind: 'registry' };
}

/** Why the mirror cannot serve the AWS provider, or undefined when it can. */
export function mirrorProblem(source: ProviderSource): string | undefined {
  if (source.kind !== 'mirror') return undefined;
  const providerDir = path.join(source.path, 'registry.terraform.io', 'hashicorp', 'aws');
  const hasVersion =
    fs.existsSync(path.join(providerDir, AWS_PROVIDER_VERSION)) ||
    (fs.existsSync(providerDir) && fs.readdirSync(providerDir).some((entry) => entry.startsWith(`terraform-provider-aws_${AWS_PROVIDER_VERSION}`)));
  if (hasVersion) return undefined;
  const origin = source.from === 'env' ? `${PROVIDER_MIRROR_ENV}=${source.path}` : source.path;
  return (
    `the provider mirror ${origin} has no hashicorp/aws ${AWS_PROVIDER_VERSION} ` +
    `(expected ${providerDir}/${AWS_PROVIDER_VERSION}/<os_arch>/ or a packed zip); ` +
    `fill it with \`terraform providers mirror <dir>\` on a connected machine, or point ${PROVIDER_MIRROR_ENV} at one`
  );
}

/** Writes a Terraform CLI config for `source` into `dir` and returns its path. */
export function writeCliConfig(dir: string, source: ProviderSource): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'terraform.tfrc');
  const body =
    source.kind === 'mirror'
      ? `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(source.path)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`
      : `# providers come from the public registry\n`;
  fs.writeFileSync(file, body);
  return file;
}
