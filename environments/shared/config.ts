import type { EnvironmentInput } from '../schema';

/**
 * Organization-level environment: the network hub account (Transit Gateway, shared-services
 * VPC), the log-archive account, and the tooling account that holds Terraform state and the
 * container registry.
 */
const config: EnvironmentInput = {
  name: 'shared',
  tier: 'prod',
  accountId: '210987654321',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  vpcCidr: '10.0.0.0/16',
  deployRoleArn: 'arn:aws:iam::210987654321:role/platform-deploy',
  observability: {
    alerts: {
      notify: { 'security-team': { protocol: 'email', endpoint: 'security-alerts@acme.example' } },
      page: { 'security-oncall': { protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/acme-security/enqueue' } },
    },
    archive: { objectLockMode: 'COMPLIANCE', objectLockRetentionDays: 365 },
    // Nothing to back up: the archives are object-locked and replicated, state is versioned.
    backup: { enabled: false },
  },
  secrets: [
    {
      name: 'platform/github-app-key',
      description: 'Private key of the platform GitHub App; read cross-account at run time by the prod api (task role)',
      readers: ['arn:aws:iam::710987654321:role/prod-api-task'],
      manualRotation: 'platform team regenerates the GitHub App private key yearly (runbook platform/github-app)',
    },
  ],
  tags: {
    environment: 'shared',
    owner: 'platform-team',
    'cost-center': 'cc-1000',
    'managed-by': 'cdktf',
  },
  organization: {
    id: 'o-a1b2c3d4e5',
    namePrefix: 'acme',
    accounts: {
      logArchive: { accountId: '310987654321', deployRoleArn: 'arn:aws:iam::310987654321:role/platform-deploy' },
      tooling: { accountId: '410987654321', deployRoleArn: 'arn:aws:iam::410987654321:role/platform-deploy' },
    },
    state: {
      bucket: 'acme-platform-terraform-state',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::410987654321:role/platform-state',
    },
    // Enabled once in the management account (aws ram enable-sharing-with-aws-organization).
    ramSharingWithOrganization: true,
    github: { repository: 'acme/platform', protectedBranch: 'main' },
    transitGateway: {
      asn: 64512,
      autoAcceptAttachments: false,
      onPremises: { cidrs: ['192.168.0.0/16'], reachableFrom: ['shared', 'prod'] },
    },
  },
};

export default config;
