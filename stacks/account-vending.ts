/**
 * The roles the account vending process creates in every account before the first apply
 * (README, "Accounts and roles"). They are not synthesized by any stack, so this is the one
 * description of them: the README documents it, the access contracts evaluate it, and vending
 * creates exactly these trust policies.
 *
 * - `platform-deploy` (or the environment's `deployRoleArn`): administers the platform's
 *   resources; trusted by `ci-apply-<env>` of every environment whose stacks deploy into the
 *   account, and by the platform administrators.
 * - `platform-plan` (or the environment's `planRoleArn`): read-only, for plans; trusted by
 *   `ci-plan-<env>` of the same environments, and by the platform administrators.
 *
 * The CI roles live in the tooling account (shared-bootstrap); trust names the tooling account
 * and narrows it to the exact role ARNs with `aws:PrincipalArn`, so a role recreated under the
 * same name keeps working and no other principal of the tooling account is trusted.
 */
import type { Platform } from '../environments/load';
import type { PolicyStatement } from '../modules/core/iam';
import { roleArn } from '../modules/core/shared-names';
import { ciRoleName, environmentAccountRoles } from './bootstrap-stack';

export type VendedRoleKind = 'deploy' | 'plan';

/** AWS managed policy each vended role carries. */
export const VENDED_ROLE_MANAGED_POLICIES: Readonly<Record<VendedRoleKind, string>> = {
  deploy: 'arn:aws:iam::aws:policy/AdministratorAccess',
  plan: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
};

/** Role name prefix of the platform team's administrators in the tooling account (break-glass and manual applies). */
export const PLATFORM_ADMIN_ROLE_PREFIX = 'platform-admin';

export interface VendedRole {
  readonly kind: VendedRoleKind;
  readonly accountId: string;
  readonly arn: string;
  /** Trust policy document, as vending writes it. */
  readonly trustPolicy: { readonly Version: '2012-10-17'; readonly Statement: readonly PolicyStatement[] };
  readonly managedPolicyArns: readonly string[];
}

/** Every vended deploy and plan role of the platform, with the trust policy vending gives it. */
export function vendedRoles(platform: Platform): VendedRole[] {
  const tooling = platform.organization.accounts.tooling.accountId;
  const trusted = new Map<string, { kind: VendedRoleKind; ciRoles: string[] }>();
  for (const env of platform.environments) {
    const { planRoleArns, deployRoleArns } = environmentAccountRoles(env);
    const add = (kind: VendedRoleKind, arn: string) => {
      const entry = trusted.get(arn) ?? { kind, ciRoles: [] };
      entry.ciRoles.push(roleArn(tooling, ciRoleName(kind === 'deploy' ? 'apply' : 'plan', env.name)));
      trusted.set(arn, entry);
    };
    deployRoleArns.forEach((arn) => add('deploy', arn));
    planRoleArns.forEach((arn) => add('plan', arn));
  }
  return [...trusted.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([arn, { kind, ciRoles }]) => ({
      kind,
      arn,
      accountId: arn.split(':')[4],
      managedPolicyArns: [VENDED_ROLE_MANAGED_POLICIES[kind]],
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PlatformCiAndAdministrators',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${tooling}:root` },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: { ArnLike: { 'aws:PrincipalArn': [...ciRoles.sort(), roleArn(tooling, `${PLATFORM_ADMIN_ROLE_PREFIX}*`)] } },
          },
        ],
      },
    }));
}
