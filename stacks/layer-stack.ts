/**
 * The base of every stack: one environment, one layer, one account.
 *
 * - S3 remote state in the tooling account's bucket, key `<env>/<layer>.tfstate`, encrypted
 *   with the state key (SSE-KMS, `kms_key_id`), with native S3 locking (`use_lockfile`,
 *   Terraform >= 1.10), written with the environment's state write role and read by other
 *   stacks with the read role (./state-access.ts);
 * - the AWS provider assumes the account's deploy role and is locked to that account with
 *   `allowed_account_ids`, so a plan can never touch the wrong account;
 * - `default_tags` from the environment's mandatory tags;
 * - readable, stable Terraform addresses derived from construct ids (`subnet_app_eu_west_1a`),
 *   not from hashes;
 * - the resources its constructs `protect()` recorded in the JSON (modules/core/protection.ts).
 */
import { LocalBackend, TerraformStack } from 'cdktf';
import type { TerraformElement } from 'cdktf';
import type { Construct, Node } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { EnvironmentConfig, OrganizationConfig } from '../environments/schema';
import type { Platform } from '../environments/load';
import { terraformId } from '../modules/core/naming';
import { recordProtection } from '../modules/core/protection';
import { stateKeyAliasArn } from '../modules/core/shared-names';
import { StateBackend, stateReadRoleArn, stateWriteRoleArn } from './state-access';
import { TERRAFORM_VERSION } from './toolchain';
import { assembleStackJson, prepareElements, type PreparedElements } from './resolve-once';
import { withTerraformSettings, writeMetaArgumentsAsReferences } from './hcl-meta-arguments';

/** An AWS account a stack deploys into. */
export interface StackAccount {
  readonly accountId: string;
  readonly deployRoleArn: string;
}

export interface LayerStackProps {
  readonly platform: Platform;
  readonly environment: EnvironmentConfig;
  /** Layer name: the stack is `<env>-<layer>` and its state key `<env>/<layer>.tfstate`. */
  readonly layer: string;
  /**
   * The account the stack deploys into.
   * @default - the environment's own account and deploy role
   */
  readonly account?: StackAccount;
  /**
   * Local state file, relative to the project root, instead of the S3 backend. Only the
   * bootstrap stack uses it, until the state bucket it creates exists.
   * @default - S3 remote state
   */
  readonly localStatePath?: string;
}

/** Default tag naming the stack that manages a resource. */
export const STACK_TAG_KEY = 'stack';

/** Depth of a synthesized stack directory below the project root (`cdktf.out/stacks/<name>`). */
const STACK_DIR_DEPTH = 3;

/** Construct ids that add nothing to a Terraform address. */
const TRANSPARENT_IDS = new Set(['Default', 'Resource']);

export class LayerStack extends TerraformStack {
  readonly platform: Platform;
  readonly environment: EnvironmentConfig;
  readonly organization: OrganizationConfig;
  readonly layer: string;
  readonly account: StackAccount;
  readonly region: string;
  readonly stateKey: string;
  /** The default AWS provider (environment's account and region). */
  readonly provider: AwsProvider;
  private readonly allocatedIds = new Map<string, string>();
  /** Each element's JSON from cdktf's preparing pass, reused to assemble the stack (./resolve-once.ts). */
  private preparedElements?: PreparedElements;
  /** The stack resolved during validation (the guardrails read it), reused once for writing. */
  private resolvedDuringValidation?: { [key: string]: unknown };
  private validating = false;

  constructor(scope: Construct, props: LayerStackProps) {
    super(scope, stackName(props.environment.name, props.layer));
    this.platform = props.platform;
    this.environment = props.environment;
    this.organization = props.platform.organization;
    this.layer = props.layer;
    this.account = props.account ?? { accountId: props.environment.accountId, deployRoleArn: props.environment.deployRoleArn };
    this.region = props.environment.region;
    this.stateKey = stateKey(props.environment.name, props.layer);

    this.addOverride('terraform.required_version', TERRAFORM_VERSION);
    if (props.localStatePath) {
      new LocalBackend(this, { path: `${'../'.repeat(STACK_DIR_DEPTH)}${props.localStatePath}` });
    } else {
      this.remoteState();
    }

    this.provider = this.awsProvider('aws', this.account, this.region);
    recordProtection(this, this.environment.name);
  }

  private remoteState(): void {
    const state = this.organization.state;
    const backend = new StateBackend(
      this,
      {
        bucket: state.bucket,
        key: this.stateKey,
        region: state.region,
        encrypt: true,
        // Without it the backend writes SSE-S3 (AES256), whatever the bucket's default: state must be under the state key.
        kmsKeyId: stateKeyAliasArn(this.organization),
        assumeRole: { roleArn: stateWriteRoleArn(state, this.environment.name), sessionName: `state-${this.node.id}` },
      },
      stateReadRoleArn(state),
    );
    // cdktf 0.21 has no `useLockfile` option yet; this is the native S3 lock of Terraform >= 1.10.
    backend.addOverride('use_lockfile', true);
  }

  /**
   * An AWS provider for this stack. The default one (alias undefined) targets the stack's
   * account; aliased ones reach another account of the platform (for example the network hub).
   */
  awsProvider(id: string, account: StackAccount, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, {
      alias,
      region,
      allowedAccountIds: [account.accountId],
      assumeRole: [{ roleArn: account.deployRoleArn, sessionName: `platform-${this.node.id}` }],
      defaultTags: [{ tags: { ...this.environment.tags, [STACK_TAG_KEY]: this.node.id } }],
    });
  }

  /**
   * Resolving a stack is the most expensive step of synth. Each element is resolved once, in
   * cdktf's preparing pass, and its JSON reused to assemble the stack (./resolve-once.ts). cdktf
   * asks for the stack's JSON for validation (the guardrails check exactly what will be written)
   * and again to write it; nothing changes the tree in between, so the second call reuses the
   * first, once. Outside a synth (no preparing pass) this is cdktf's own `toTerraform`.
   */
  toTerraform(): { [key: string]: unknown } {
    if (this.validating) return (this.resolvedDuringValidation ??= this.assemble());
    const resolved = this.resolvedDuringValidation ?? this.assemble();
    this.resolvedDuringValidation = undefined;
    this.preparedElements = undefined;
    return resolved;
  }

  private assemble(): { [key: string]: unknown } {
    return this.preparedElements ? assembleStackJson(this, this.preparedElements) : super.toTerraform();
  }

  runAllValidations(): void {
    this.resolvedDuringValidation = undefined;
    this.validating = true;
    try {
      super.runAllValidations();
    } finally {
      this.validating = false;
    }
  }

  /**
   * The stack as HCL (`cdktf synth --hcl`), with meta-arguments written as references rather than
   * the quoted strings of cdktf's HCL writer (./hcl-meta-arguments.ts). Writing is the last step of a
   * synth, so the overrides this adds never reach the JSON.
   */
  toHclTerraform(): { [key: string]: unknown } {
    writeMetaArgumentsAsReferences(this);
    const written = super.toHclTerraform() as { hcl: string };
    const overrides = (this as unknown as { rawOverrides: { terraform?: Record<string, unknown> } }).rawOverrides;
    return { ...written, hcl: withTerraformSettings(written.hcl, overrides.terraform) };
  }

  /** cdktf's preparing pass (cross-stack references), keeping each element's resolved JSON. */
  prepareStack(): void {
    this.resolvedDuringValidation = undefined;
    this.preparedElements = prepareElements(this);
  }

  /** Readable addresses: the construct path below the stack in snake case, checked for clashes. */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node: Node = 'node' in element ? element.node : element;
    const stackIndex = node.scopes.indexOf(this);
    const parts = node.scopes
      .slice(stackIndex + 1)
      .map((scope) => scope.node.id)
      .filter((id) => !TRANSPARENT_IDS.has(id))
      .map(snakeCase);
    const id = terraformId(...parts);
    const path = node.path;
    const owner = this.allocatedIds.get(id);
    if (owner !== undefined && owner !== path) {
      throw new Error(`Terraform address "${id}" is claimed by both ${owner} and ${path}; give one of the constructs another id`);
    }
    this.allocatedIds.set(id, path);
    return id;
  }
}

export function stackName(environment: string, layer: string): string {
  return `${environment}-${layer}`;
}

export function stateKey(environment: string, layer: string): string {
  return `${environment}/${layer}.tfstate`;
}

function snakeCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
}
