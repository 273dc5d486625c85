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
import { PLATFORM_ADMIN_ROLE_PREFIX, roleArn } from '../modules/core/shared-names';
import { ciRoleName, DEFAULT_PLAN_ROLE_NAME } from './bootstrap-stack';

export type VendedRoleKind = 'deploy' | 'plan';

/** AWS managed policy each vended role carries. */
export const VENDED_ROLE_MANAGED_POLICIES: Readonly<Record<VendedRoleKind, string>> = {
  deploy: 'arn:aws:iam::aws:policy/AdministratorAccess',
  plan: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
};

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
    // The accounts an environment deploys into: its own, and for the organization environment the
    // log-archive and tooling accounts. Other roles its CI may assume (ones a stack creates) are not vended.
    const accounts = [
      { deployRoleArn: env.deployRoleArn, planRoleArn: env.planRoleArn ?? roleArn(env.accountId, DEFAULT_PLAN_ROLE_NAME) },
      ...Object.values(env.organization?.accounts ?? {}).map((account) => ({ deployRoleArn: account.deployRoleArn, planRoleArn: roleArn(account.accountId, DEFAULT_PLAN_ROLE_NAME) })),
    ];
    const add = (kind: VendedRoleKind, arn: string) => {
      const entry = trusted.get(arn) ?? { kind, ciRoles: [] };
      entry.ciRoles.push(roleArn(tooling, ciRoleName(kind === 'deploy' ? 'apply' : 'plan', env.name)));
      trusted.set(arn, entry);
    };
    for (const account of accounts) {
      add('deploy', account.deployRoleArn);
      add('plan', account.planRoleArn);
    }
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
