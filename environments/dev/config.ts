import type { EnvironmentInput } from '../schema';

/** The dev workload environment. */
const config: EnvironmentInput = {
  name: 'dev',
  tier: 'dev',
  accountId: '510987654321',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  vpcCidr: '10.10.0.0/16',
  promotion: {},
  deployRoleArn: 'arn:aws:iam::510987654321:role/platform-deploy',
  tags: {
    environment: 'dev',
    owner: 'platform-team',
    'cost-center': 'cc-2000',
    'managed-by': 'cdktf',
  },
};

export default config;
