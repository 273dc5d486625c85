/**
 * Who may touch Terraform state, by role (the roles are created by stacks/bootstrap-stack.ts):
 *
 * - `<state role>-<env>` (write role of one environment): reads and writes only `<env>/*`, the
 *   state and lock objects of that environment's stacks. Every backend of the environment
 *   assumes it; only the environment's CI apply role (and the platform administrators) may.
 * - `<state role>-read` (read role): lists the bucket and reads every object, writes nothing.
 *   Every `terraform_remote_state` assumes it (a stack reads other environments' outputs, the
 *   hub's for example), and pull-request plans use it for their own state too, without a lock
 *   (`plan --read-only`). CI plan and apply roles may assume it.
 *
 * `<state role>` is `organization.state.roleArn` of the shared config: the two kinds of roles
 * are named after it.
 */
import { S3Backend, type TerraformRemoteState } from 'cdktf';
import type { Construct } from 'constructs';
import type { OrganizationConfig } from '../environments/schema';

/** Suffix of the read-only state role's name. */
export const STATE_READ_ROLE_SUFFIX = 'read';

type StateConfig = Pick<OrganizationConfig['state'], 'roleArn'>;

/** The role that reads every state object and writes none. */
export function stateReadRoleArn(state: StateConfig): string {
  return `${state.roleArn}-${STATE_READ_ROLE_SUFFIX}`;
}

/** The role that writes the state (and lock) objects of `environment`, under `<environment>/`. */
export function stateWriteRoleArn(state: StateConfig, environment: string): string {
  if (environment === STATE_READ_ROLE_SUFFIX) {
    throw new Error(`an environment named "${STATE_READ_ROLE_SUFFIX}" would share its state role name with the read-only state role; rename the environment directory`);
  }
  return `${state.roleArn}-${environment}`;
}

/** Key prefix of an environment's state objects (stacks/layer-stack.ts `stateKey`). */
export function stateKeyPrefix(environment: string): string {
  return `${environment}/`;
}

/**
 * The S3 backend of the platform's stacks: the stack writes its own state with its
 * environment's write role (the props' `assumeRole`), and every remote-state read of it from
 * another stack assumes the read role instead.
 */
export class StateBackend extends S3Backend {
  constructor(
    scope: Construct,
    props: ConstructorParameters<typeof S3Backend>[1],
    private readonly readRoleArn: string,
  ) {
    super(scope, props);
  }

  getRemoteStateDataSource(scope: Construct, name: string, fromStack: string): TerraformRemoteState {
    const remoteState = super.getRemoteStateDataSource(scope, name, fromStack);
    remoteState.addOverride('config.assume_role.role_arn', this.readRoleArn);
    return remoteState;
  }
}
