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
  observability: {
    alerts: {
      notify: { 'platform-team': { protocol: 'email', endpoint: 'platform-alerts+dev@acme.example' } },
    },
    endpoints: { api: { url: 'https://api.dev.acme.example/healthz' } },
    // The api database (outside the platform; its credential is secrets api/db-password).
    backup: { resources: ['arn:aws:rds:eu-west-1:510987654321:db:dev-api'] },
  },
  services: {
    ingress: { certificateArn: 'arn:aws:acm:eu-west-1:510987654321:certificate/0b7d3c1e-5f6a-4b8c-9d0e-1f2a3b4c5d6e' },
    list: [
      {
        name: 'api',
        image: 'api:1.5.0',
        cpu: 256,
        memory: 512,
        port: 8080,
        healthCheckPath: '/healthz',
        environment: { LOG_LEVEL: 'debug' },
        secrets: { DB_PASSWORD: { secret: 'api/db-password', jsonKey: 'password' }, PAYMENTS_API_KEY: 'api/payments-api-key' },
        route: { priority: 100, hosts: ['api.dev.acme.example'] },
      },
      {
        name: 'web',
        image: 'web:2.3.0',
        cpu: 256,
        memory: 512,
        port: 8080,
        healthCheckPath: '/healthz',
        route: { priority: 200, hosts: ['www.dev.acme.example'] },
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
    },
    {
      name: 'api/payments-api-key',
      description: 'API key of the payment provider',
      readers: ['api'],
      manualRotation: 'payments team rotates the key in the provider dashboard every 90 days (runbook payments/key-rotation)',
    },
  ],
  tags: {
    environment: 'dev',
    owner: 'platform-team',
    'cost-center': 'cc-2000',
    'managed-by': 'cdktf',
  },
};

export default config;
