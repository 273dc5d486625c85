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
  observability: {
    alerts: {
      notify: { 'platform-team': { protocol: 'email', endpoint: 'platform-alerts@acme.example' } },
      page: { oncall: { protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/acme-platform-prod/enqueue' } },
    },
    endpoints: { api: { url: 'https://api.acme.example/healthz', requestIntervalSeconds: 10 } },
    // The api database (outside the platform; its credential is secrets api/db-password).
    backup: { resources: ['arn:aws:rds:eu-west-1:710987654321:db:prod-api'] },
  },
  services: {
    ingress: { certificateArn: 'arn:aws:acm:eu-west-1:710987654321:certificate/2d9f5e3a-7b8c-4dae-9f2a-3b4c5d6e7f80' },
    list: [
      {
        name: 'api',
        image: 'api:1.4.2',
        cpu: 1024,
        memory: 2048,
        port: 8080,
        healthCheckPath: '/healthz',
        environment: { LOG_LEVEL: 'info' },
        secrets: {
          DB_PASSWORD: { secret: 'api/db-password', jsonKey: 'password' },
          PAYMENTS_API_KEY: 'api/payments-api-key',
          GITHUB_APP_KEY_SECRET_ARN: { secret: 'platform/github-app-key', environment: 'shared', read: 'run-time' },
        },
        route: { priority: 100, hosts: ['api.acme.example'] },
      },
      {
        name: 'web',
        image: 'web:2.2.1',
        cpu: 256,
        memory: 512,
        port: 8080,
        healthCheckPath: '/healthz',
        route: { priority: 200, hosts: ['www.acme.example'] },
      },
    ],
  },
  secrets: [
    {
      name: 'api/db-password',
      description: 'Credentials of the api database user (JSON: engine, host, port, dbname, username, password)',
      readers: ['api'],
      rotation: {
        intervalDays: 30,
        mechanism: {
          serverlessApplication: {
            applicationId: 'arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser',
            semanticVersion: '1.1.367',
            databasePort: 5432,
          },
        },
      },
      replicaRegion: 'eu-central-1',
    },
    {
      name: 'api/payments-api-key',
      description: 'API key of the payment provider',
      readers: ['api'],
      manualRotation: 'payments team rotates the key in the provider dashboard every 90 days (runbook payments/key-rotation)',
    },
  ],
  tags: {
    environment: 'prod',
    owner: 'platform-team',
    'cost-center': 'cc-2000',
    'managed-by': 'cdktf',
  },
};

export default config;
