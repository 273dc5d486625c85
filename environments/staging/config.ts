import type { EnvironmentInput } from '../schema';

/** The staging workload environment. */
const config: EnvironmentInput = {
  name: 'staging',
  tier: 'staging',
  accountId: '610987654321',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  vpcCidr: '10.20.0.0/16',
  promotion: { from: 'dev' },
  deployRoleArn: 'arn:aws:iam::610987654321:role/platform-deploy',
  tags: {
    environment: 'staging',
    owner: 'platform-team',
    'cost-center': 'cc-2000',
    'managed-by': 'cdktf',
  },
};

export default config;
