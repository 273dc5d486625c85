/** stacks/account-vending.ts: the trust of the vended deploy and plan roles, as the README documents it. */
import { vendedRoles } from '../../stacks/account-vending';
import { PLATFORM_ADMIN_ROLE_PREFIX } from '../../modules/core/shared-names';
import { shippedPlatform } from '../helpers/platform';

describe('vended roles', () => {
  const platform = shippedPlatform();
  const roles = vendedRoles(platform);
  const tooling = platform.organization.accounts.tooling.accountId;
  const trusted = (arn: string) => roles.find((role) => role.arn === arn)!.trustPolicy.Statement[0].Condition!.ArnLike['aws:PrincipalArn'];

  it('has a deploy and a plan role in every account of the platform', () => {
    const accounts = [...new Set([...platform.environments.map((env) => env.accountId), tooling, platform.organization.accounts.logArchive.accountId])];
    for (const account of accounts) {
      expect(roles.filter((role) => role.accountId === account).map((role) => role.kind).sort()).toEqual(['deploy', 'plan']);
    }
  });

  it('trusts the apply role of the environment that deploys into the account, and the administrators', () => {
    expect(trusted('arn:aws:iam::710987654321:role/platform-deploy')).toEqual([`arn:aws:iam::${tooling}:role/ci-apply-prod`, `arn:aws:iam::${tooling}:role/${PLATFORM_ADMIN_ROLE_PREFIX}*`]);
    expect(trusted('arn:aws:iam::710987654321:role/platform-plan')).toEqual([`arn:aws:iam::${tooling}:role/ci-plan-prod`, `arn:aws:iam::${tooling}:role/${PLATFORM_ADMIN_ROLE_PREFIX}*`]);
    expect(trusted(`arn:aws:iam::${tooling}:role/platform-deploy`)).toEqual([`arn:aws:iam::${tooling}:role/ci-apply-shared`, `arn:aws:iam::${tooling}:role/${PLATFORM_ADMIN_ROLE_PREFIX}*`]);
  });

  it('names the tooling account as principal, never another account', () => {
    for (const role of roles) expect(role.trustPolicy.Statement.map((statement) => statement.Principal)).toEqual([{ AWS: `arn:aws:iam::${tooling}:root` }]);
  });

  it('gives deploy roles AdministratorAccess and plan roles ReadOnlyAccess', () => {
    for (const role of roles) {
      expect(role.managedPolicyArns).toEqual([role.kind === 'deploy' ? 'arn:aws:iam::aws:policy/AdministratorAccess' : 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
    }
  });
});
