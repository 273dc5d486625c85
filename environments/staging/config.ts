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
  observability: {
    alerts: {
      notify: { 'platform-team': { protocol: 'email', endpoint: 'platform-alerts+staging@acme.example' } },
    },
    // The api database (outside the platform; its credential is secrets api/db-password).
    backup: { resources: ['arn:aws:rds:eu-west-1:610987654321:db:staging-api'] },
  },
  services: {
    ingress: { certificateArn: 'arn:aws:acm:eu-west-1:610987654321:certificate/1c8e4d2f-6a7b-4c9d-8e1f-2a3b4c5d6e7f' },
    list: [
      {
        name: 'api',
        image: 'api:1.4.2',
        cpu: 512,
        memory: 1024,
        port: 8080,
        healthCheckPath: '/healthz',
        environment: { LOG_LEVEL: 'info' },
        secrets: { DB_PASSWORD: { secret: 'api/db-password', jsonKey: 'password' }, PAYMENTS_API_KEY: 'api/payments-api-key' },
        route: { priority: 100, hosts: ['api.staging.acme.example'] },
      },
      {
        name: 'web',
        image: 'web:2.3.0',
        cpu: 256,
        memory: 512,
        port: 8080,
        healthCheckPath: '/healthz',
        route: { priority: 200, hosts: ['www.staging.acme.example'] },
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
    environment: 'staging',
    owner: 'platform-team',
    'cost-center': 'cc-2000',
    'managed-by': 'cdktf',
  },
};

export default config;
