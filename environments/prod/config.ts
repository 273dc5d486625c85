import type { EnvironmentInput } from '../schema';

/** The prod workload environment. */
const config: EnvironmentInput = {
  name: 'prod',
  tier: 'prod',
  accountId: '710987654321',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  vpcCidr: '10.30.0.0/16',
  promotion: { from: 'staging' },
  deployRoleArn: 'arn:aws:iam::710987654321:role/platform-deploy',
  tags: {
    environment: 'prod',
    owner: 'platform-team',
    'cost-center': 'cc-2000',
    'managed-by': 'cdktf',
  },
};

export default config;
