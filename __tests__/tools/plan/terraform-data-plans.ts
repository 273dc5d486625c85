/**
 * Produces REAL plan JSON with terraform itself: small configurations of Terraform's built-in `terraform_data`
 * resource (no provider needed, works offline) are applied to local state in a temp dir, then changed and
 * planned again with `terraform plan -out` + `terraform show -json`.
 *
 * Notes on what terraform_data can and cannot do:
 * - import: terraform_data supports `import` blocks (the id becomes its `id`), so the import scenario is real.
 * - drift: terraform_data's refresh returns the prior state unchanged, so editing the state file produces no
 *   drift. Terraform does report `resource_drift` for an object that moved before refresh when the plan is
 *   refresh-only (`terraform plan -refresh-only` with a `moved` block); the drift scenario uses that.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The terraform binary used; TERRAFORM_BIN overrides it. */
export const TERRAFORM_BIN = process.env.TERRAFORM_BIN ?? 'terraform';

/** One configuration: its main.tf text and the -var values to use with it. */
export interface ConfigStep {
  mainTf: string;
  vars?: Record<string, string>;
}

/** A scenario: configurations applied in order, then one planned. */
export interface TerraformDataScenario {
  name: string;
  description: string;
  applied: ConfigStep[];
  planned: ConfigStep & { planArgs?: string[] };
}

const data = (name: string, body: string) => `resource "terraform_data" "${name}" {\n${body}\n}\n`;

/** Fake secrets used to test masking; not real credentials. */
export const FAKE_SECRETS = {
  awsAccessKeyId: 'AKIAABCDEFGHIJKLMNOP',
  githubToken: `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`,
  dbPasswordBefore: 'old-db-password-1',
  dbPasswordAfter: 'new-db-password-2',
  apiToken: 'tok-not-marked-sensitive-123',
} as const;

const appV1 = data('app', '  input = {\n    name = "app"\n    tags = { Name = "app", Env = "dev" }\n  }');
const appV2 = data('app', '  input = {\n    name = "app"\n    tags = { Name = "app-renamed", Env = "dev", Team = "platform" }\n  }');
const revVariable = 'variable "rev" {\n  type = string\n}\n';

/** Every scenario the fixtures are generated from. */
export const SCENARIOS: readonly TerraformDataScenario[] = [
  {
    name: 'create',
    description: 'two resources created from empty state',
    applied: [],
    planned: { mainTf: appV1 + data('marker', '  input = "v1"') },
  },
  {
    name: 'update-in-place',
    description: 'a nested input attribute (tags.Name) changes and one is added',
    applied: [{ mainTf: appV1 }],
    planned: { mainTf: appV2 },
  },
  {
    name: 'delete',
    description: 'a resource removed from the configuration',
    applied: [{ mainTf: appV1 + data('obsolete', '  input = "bye"') }],
    planned: { mainTf: appV1 },
  },
  {
    name: 'replace-delete-before-create',
    description: 'triggers_replace changes: default order ["delete","create"]',
    applied: [{ mainTf: revVariable + data('server', '  triggers_replace = var.rev\n  input = "server"'), vars: { rev: '1' } }],
    planned: { mainTf: revVariable + data('server', '  triggers_replace = var.rev\n  input = "server"'), vars: { rev: '2' } },
  },
  {
    name: 'replace-create-before-destroy',
    description: 'triggers_replace changes with create_before_destroy: ["create","delete"]',
    applied: [
      {
        mainTf: revVariable + data('blue_green', '  triggers_replace = var.rev\n  lifecycle {\n    create_before_destroy = true\n  }'),
        vars: { rev: '1' },
      },
    ],
    planned: {
      mainTf: revVariable + data('blue_green', '  triggers_replace = var.rev\n  lifecycle {\n    create_before_destroy = true\n  }'),
      vars: { rev: '2' },
    },
  },
  {
    name: 'sensitive',
    description: 'a sensitive variable nested in input, plus secrets the configuration forgot to mark sensitive',
    applied: [
      {
        mainTf:
          'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n' +
          data('db', '  input = {\n    user     = "app"\n    password = var.db_password\n  }'),
        vars: { db_password: FAKE_SECRETS.dbPasswordBefore },
      },
    ],
    planned: {
      mainTf:
        'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n' +
        data('db', '  input = {\n    user     = "app"\n    password = var.db_password\n  }') +
        data(
          'leaky',
          `  input = {\n    api_token = "${FAKE_SECRETS.apiToken}"\n    note      = "key ${FAKE_SECRETS.awsAccessKeyId} in a note"\n    deploy    = "${FAKE_SECRETS.githubToken}"\n    harmless  = "visible"\n  }`,
        ),
      vars: { db_password: FAKE_SECRETS.dbPasswordAfter },
    },
  },
  {
    name: 'outputs',
    description: 'outputs added, changed, removed, unknown and sensitive',
    applied: [
      {
        mainTf:
          'output "kept" {\n  value = "same"\n}\noutput "changed" {\n  value = "before"\n}\noutput "removed" {\n  value = "gone soon"\n}\n' +
          'output "secret" {\n  value     = "s3cr3t-before"\n  sensitive = true\n}\n',
      },
    ],
    planned: {
      mainTf:
        'output "kept" {\n  value = "same"\n}\noutput "changed" {\n  value = "after"\n}\noutput "added" {\n  value = { region = "eu-west-1" }\n}\n' +
        'output "secret" {\n  value     = "s3cr3t-after"\n  sensitive = true\n}\n' +
        'output "marker_id" {\n  value = terraform_data.marker.id\n}\n' +
        data('marker', '  input = "v1"'),
    },
  },
  {
    name: 'import',
    description: 'an import block brings an existing object under management',
    applied: [],
    planned: { mainTf: 'import {\n  to = terraform_data.imported\n  id = "existing-object-id"\n}\n' + data('imported', '  input = "adopted"') },
  },
  {
    name: 'move',
    description: 'moved blocks: one move without changes, one move with an in-place update',
    applied: [{ mainTf: data('old_name', '  input = "same"') + data('old_changed', '  input = "v1"') }],
    planned: {
      mainTf:
        data('new_name', '  input = "same"') +
        data('new_changed', '  input = "v2"') +
        'moved {\n  from = terraform_data.old_name\n  to   = terraform_data.new_name\n}\n' +
        'moved {\n  from = terraform_data.old_changed\n  to   = terraform_data.new_changed\n}\n',
    },
  },
  {
    name: 'forget',
    description: 'a removed block with lifecycle destroy = false',
    applied: [{ mainTf: appV1 + data('legacy', '  input = "keep the object"') }],
    planned: { mainTf: appV1 + 'removed {\n  from = terraform_data.legacy\n  lifecycle {\n    destroy = false\n  }\n}\n' },
  },
  {
    name: 'drift',
    description: 'refresh-only plan: an object moved before refresh is reported in resource_drift',
    applied: [{ mainTf: data('before_refresh', '  input = "one"') }],
    planned: {
      mainTf: data('after_refresh', '  input = "one"') + 'moved {\n  from = terraform_data.before_refresh\n  to   = terraform_data.after_refresh\n}\n',
      planArgs: ['-refresh-only'],
    },
  },
  {
    name: 'no-changes',
    description: 'the configuration matches the state',
    applied: [{ mainTf: appV1 }],
    planned: { mainTf: appV1 },
  },
  {
    name: 'mixed',
    description: 'create, update, delete and replace in one plan, to check the order',
    applied: [
      {
        mainTf: revVariable + appV1 + data('zz_old', '  input = "x"') + data('aa_server', '  triggers_replace = var.rev'),
        vars: { rev: '1' },
      },
    ],
    planned: {
      mainTf: revVariable + appV2 + data('aa_server', '  triggers_replace = var.rev') + data('bb_new', '  input = "new"'),
      vars: { rev: '2' },
    },
  },
];

/** Environment for terraform: no CLI config warnings, no prompts, no checkpoint calls. */
function terraformEnv(cliConfigFile: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
}

function varArgs(step: ConfigStep): string[] {
  return Object.entries(step.vars ?? {}).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
}

function writeConfig(dir: string, step: ConfigStep): void {
  for (const file of readdirSync(dir)) if (file.endsWith('.tf')) unlinkSync(join(dir, file));
  writeFileSync(join(dir, 'main.tf'), step.mainTf);
}

/** Runs one scenario in a fresh temp dir and returns the parsed `terraform show -json` plan. */
export async function planScenario(scenario: TerraformDataScenario): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), `tfdata-${scenario.name}-`));
  const cliConfigFile = join(dir, 'empty.tfrc');
  writeFileSync(cliConfigFile, '');
  const options = { cwd: dir, env: terraformEnv(cliConfigFile), maxBuffer: 64 * 1024 * 1024 };
  const terraform = (args: string[]) => run(TERRAFORM_BIN, [...args, '-no-color'], options);
  try {
    writeConfig(dir, scenario.applied[0] ?? scenario.planned);
    await terraform(['init', '-input=false']);
    for (const step of scenario.applied) {
      writeConfig(dir, step);
      await terraform(['apply', '-auto-approve', '-input=false', ...varArgs(step)]);
    }
    writeConfig(dir, scenario.planned);
    await terraform(['plan', '-input=false', '-out=plan.tfplan', ...(scenario.planned.planArgs ?? []), ...varArgs(scenario.planned)]);
    const { stdout } = await run(TERRAFORM_BIN, ['show', '-json', 'plan.tfplan'], options);
    return JSON.parse(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs all scenarios (in parallel) and returns plans by scenario name. */
export async function planAllScenarios(): Promise<Map<string, unknown>> {
  const plans = await Promise.all(SCENARIOS.map(async (scenario) => [scenario.name, await planScenario(scenario)] as const));
  return new Map(plans);
}
