import { validatePlatform } from '../../../environments/load';
import type { EnvironmentInput } from '../../../environments/schema';
import dev from '../../../environments/dev/config';
import staging from '../../../environments/staging/config';
import prod from '../../../environments/prod/config';
import shared from '../../../environments/shared/config';
import { FARGATE_CPU_UNITS, serviceNames } from '../../../modules/containers';

type Mutable = any;
const SHIPPED: Record<string, EnvironmentInput> = { dev, staging, prod, shared };

/** Validates the shipped configs with `edit` applied to a copy of one environment. */
function validateWith(envName: string, edit: (config: Mutable) => void) {
  const raw = Object.entries(SHIPPED).map(([name, value]) => {
    const copy = JSON.parse(JSON.stringify(value));
    if (name === envName) edit(copy);
    return { name, value: copy };
  });
  return validatePlatform(raw);
}

const api = (config: Mutable) => config.services.list.find((service: Mutable) => service.name === 'api');
const web = (config: Mutable) => config.services.list.find((service: Mutable) => service.name === 'web');

describe('services config section', () => {
  it('accepts the shipped configs: dev, staging and prod each run api and web', () => {
    const platform = validateWith('none', () => undefined);
    for (const env of ['dev', 'staging', 'prod']) expect(serviceNames(platform.environment(env))).toEqual(['api', 'web']);
    expect(serviceNames(platform.environment('shared'))).toEqual([]);
  });

  describe('bad input names environment, service and field', () => {
    it.each([
      ['unknown secret', 'dev', (c: Mutable) => (api(c).secrets.DB_PASSWORD = 'api/no-such-secret'),
        /environments\/dev\/config.ts: services.api.secrets.DB_PASSWORD: is not a secret of environment dev; declared: api\/db-password, api\/payments-api-key .*\(got "api\/no-such-secret"\)/],
      ['secret that does not list the service as reader', 'dev', (c: Mutable) => (web(c).secrets = { DB_PASSWORD: 'api/db-password' }),
        /environments\/dev\/config.ts: services.web.secrets.DB_PASSWORD: does not list web among its readers/],
      ['image with neither tag nor digest', 'staging', (c: Mutable) => (api(c).image = 'api'),
        /environments\/staging\/config.ts: services.api.image: pins neither a tag nor a digest.*\(got "api"\)/],
      ['image with a malformed digest', 'prod', (c: Mutable) => (api(c).image = 'api@sha256:1234'),
        /environments\/prod\/config.ts: services.api.image: has a digest that is not sha256:<64 lower-case hex>/],
      ['floating tag', 'dev', (c: Mutable) => (web(c).image = 'web:latest'),
        /environments\/dev\/config.ts: services.web.image: uses the floating tag "latest"/],
      ['memory Fargate does not accept for the cpu', 'dev', (c: Mutable) => Object.assign(api(c), { cpu: 1024, memory: 1024 }),
        /environments\/dev\/config.ts: services.api.memory: is not a Fargate memory size for cpu 1024; allowed: 2048-8192 in steps of 1024 \(MiB\) \(got 1024\)/],
      ['memory off the step', 'dev', (c: Mutable) => Object.assign(api(c), { cpu: 8192, memory: 20000 }),
        /services.api.memory: is not a Fargate memory size for cpu 8192; allowed: 16384-61440 in steps of 4096/],
      ['cpu Fargate does not offer', 'prod', (c: Mutable) => Object.assign(api(c), { cpu: 3000 }),
        /environments\/prod\/config.ts: services.api.cpu: is not a Fargate cpu size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384 \(got 3000\)/],
      ['two services claiming the same host', 'staging', (c: Mutable) => (web(c).route.hosts = [...api(c).route.hosts]),
        /environments\/staging\/config.ts: services.web.route.hosts: is already claimed by service api for host api.staging.acme.example; two services cannot serve the same path or host \(got "api.staging.acme.example"\)/],
      ['two services claiming the same path', 'dev', (c: Mutable) => { api(c).route = { priority: 100, paths: ['/v1/*'] }; web(c).route = { priority: 200, paths: ['/static/*', '/v1/*'] }; },
        /environments\/dev\/config.ts: services.web.route.paths: is already claimed by service api; two services cannot serve the same path or host \(got "\/v1\/\*"\)/],
      ['host claimed case-insensitively', 'dev', (c: Mutable) => (web(c).route.hosts = ['API.dev.acme.example']),
        /services.web.route.hosts: is already claimed by service api/],
      ['port out of range', 'dev', (c: Mutable) => (api(c).port = 70000),
        /environments\/dev\/config.ts: services.api.port: must be 1024-65535 .*\(got 70000\)/],
      ['privileged port', 'dev', (c: Mutable) => (api(c).port = 80),
        /services.api.port: must be 1024-65535 \(containers run as a non-root user/],
      ['port the app security group does not open', 'dev', (c: Mutable) => (api(c).port = 3000),
        /services.api.port: is not a port the app security group opens to the ALB \(network.servicePorts: 8080\)/],
      ['duplicate listener priority', 'prod', (c: Mutable) => (web(c).route.priority = 100),
        /environments\/prod\/config.ts: services.web.route.priority: is already used by service api/],
      ['route matching nothing', 'dev', (c: Mutable) => (web(c).route = { priority: 200 }),
        /services.web.route: must match at least one path/],
      ['too many route values', 'dev', (c: Mutable) => (web(c).route.paths = ['/a', '/b', '/c', '/d', '/e']),
        /services.web.route: matches 6 values; an ALB rule takes at most 5/],
      ['secret-looking plain variable', 'dev', (c: Mutable) => (web(c).environment = { STRIPE_API_KEY: 'sk_live_x' }),
        /services.web.environment.STRIPE_API_KEY: looks like a secret; .*declare it under secrets/],
      ['variable both plain and secret', 'dev', (c: Mutable) => (api(c).environment.DB_PASSWORD = 'x'),
        /services.api.environment.DB_PASSWORD: is also a secret of the service/],
      ['prod service below two tasks', 'prod', (c: Mutable) => (api(c).minCount = 1),
        /environments\/prod\/config.ts: services.api.minCount: must be at least 2 in a prod-tier environment/],
      ['desired count outside min..max', 'dev', (c: Mutable) => Object.assign(api(c), { minCount: 1, maxCount: 2, desiredCount: 3 }),
        /services.api.desiredCount: must be between minCount 1 and maxCount 2 \(got 3\)/],
      ['ec2 capacity the cluster lacks', 'dev', (c: Mutable) => (api(c).capacity = 'ec2'),
        /services.api.capacity: needs EC2 capacity in the cluster: add services.cluster.ec2/],
      ['services without ingress', 'dev', (c: Mutable) => delete c.services.ingress,
        /environments\/dev\/config.ts: services.ingress: is required when the environment has services/],
      ['certificate of another account', 'dev', (c: Mutable) => (c.services.ingress.certificateArn = 'arn:aws:acm:eu-west-1:710987654321:certificate/2d9f5e3a-7b8c-4dae-9f2a-3b4c5d6e7f80'),
        /services.ingress.certificateArn: must be a certificate in the environment's account 510987654321 and region eu-west-1/],
      ['duplicate service name', 'dev', (c: Mutable) => c.services.list.push({ ...JSON.parse(JSON.stringify(api(c))), route: { priority: 300, paths: ['/x'] } }),
        /services.api.name: is declared twice/],
      ['service name making a too long target group name', 'dev', (c: Mutable) => (web(c).name = 'a-very-long-service-name-here'),
        /services.a-very-long-service-name-here.name: makes the target group name "dev-a-very-long-service-name-here" longer than 32 characters/],
      ['registry settings outside the organization environment', 'dev', (c: Mutable) => (c.services.registry = { keepTaggedImages: 5 }),
        /environments\/dev\/config.ts: services.registry: registry settings belong in the environment that declares the organization/],
      ['services in the organization environment', 'shared', (c: Mutable) => (c.services = { list: [JSON.parse(JSON.stringify(api(dev)))] }),
        /environments\/shared\/config.ts: services.list: the organization environment runs no container platform/],
      ['unknown field (zod)', 'dev', (c: Mutable) => (api(c).privileged = true),
        /environments\/dev\/config.ts: services.list.0: unknown field privileged/],
    ])('%s', (_label, envName, edit, expected) => {
      expect(() => validateWith(envName as string, edit as (c: Mutable) => void)).toThrow(expected as RegExp);
    });
  });

  it('reports every problem of a service at once', () => {
    expect(() =>
      validateWith('dev', (c) => Object.assign(api(c), { image: 'api', cpu: 512, memory: 512, port: 99999 })),
    ).toThrow(/3 problems[\s\S]*services.api.image[\s\S]*services.api.memory[\s\S]*services.api.port: must be 1024-65535/);
  });

  describe('Fargate task sizes', () => {
    const accepted: [number, number][] = [
      [256, 512], [256, 2048], [512, 1024], [512, 4096], [1024, 2048], [1024, 8192], [2048, 4096], [2048, 16384],
      [4096, 8192], [4096, 30720], [8192, 16384], [8192, 61440], [16384, 32768], [16384, 122880],
    ];
    const rejected: [number, number][] = [[256, 256], [256, 1536], [256, 3072], [512, 512], [512, 5120], [2048, 2048], [4096, 31744], [8192, 18432], [16384, 36864], [16384, 131072]];
    it.each(accepted)('accepts cpu %i with memory %i', (cpu, memory) => {
      expect(() => validateWith('dev', (c) => Object.assign(api(c), { cpu, memory }))).not.toThrow();
    });
    it.each(rejected)('rejects cpu %i with memory %i', (cpu, memory) => {
      expect(() => validateWith('dev', (c) => Object.assign(api(c), { cpu, memory }))).toThrow(/services.api.memory: is not a Fargate memory size/);
    });
    it('offers exactly the Fargate cpu sizes', () => {
      expect(FARGATE_CPU_UNITS).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    });
  });
});

describe('service secrets: the value has the shape the variable takes (issue 24)', () => {
  const error = (envName: string, edit: (config: Mutable) => void): string => {
    try {
      validateWith(envName, edit);
      return '';
    } catch (caught) {
      return (caught as Error).message;
    }
  };
  it.each([
    ['a rotated database credential injected whole (the variable would hold the JSON)', 'dev', (c: Mutable) => (api(c).secrets.DB_PASSWORD = 'api/db-password'),
      /services.api.secrets.DB_PASSWORD: is a JSON object \(engine, host, port, dbname, username, password\); injected whole, the variable would hold the JSON: add jsonKey \(for example 'password'\)/],
    ['a JSON key the value does not have', 'dev', (c: Mutable) => (api(c).secrets.DB_PASSWORD = { secret: 'api/db-password', jsonKey: 'pasword' }),
      /services.api.secrets.DB_PASSWORD.jsonKey: is not a key of api\/db-password; its keys: engine, host, port, dbname, username, password .*\(got "pasword"\)/],
    ['a JSON key of a plain-string secret', 'dev', (c: Mutable) => (api(c).secrets.PAYMENTS_API_KEY = { secret: 'api/payments-api-key', jsonKey: 'key' }),
      /services.api.secrets.PAYMENTS_API_KEY.jsonKey: api\/payments-api-key is a plain string, not JSON/],
    ["another account's secret injected (ECS needs its full ARN, suffix included)", 'prod', (c: Mutable) => (api(c).secrets.GITHUB_APP_KEY_SECRET_ARN = { secret: 'platform/github-app-key', environment: 'shared' }),
      /services.api.secrets.GITHUB_APP_KEY_SECRET_ARN: is a secret of environment shared: another account's secret is read at run time; add read: 'run-time'/],
    ["another environment's secret that does not name the task role", 'staging', (c: Mutable) => (api(c).secrets.GITHUB_APP_KEY_SECRET_ARN = { secret: 'platform/github-app-key', environment: 'shared', read: 'run-time' }),
      /services.api.secrets.GITHUB_APP_KEY_SECRET_ARN: is not readable by arn:aws:iam::610987654321:role\/staging-api-task: add that task role ARN to the readers of shared's secret platform\/github-app-key/],
    ['an unknown environment', 'prod', (c: Mutable) => (api(c).secrets.GITHUB_APP_KEY_SECRET_ARN = { secret: 'platform/github-app-key', environment: 'sharde', read: 'run-time' }),
      /services.api.secrets.GITHUB_APP_KEY_SECRET_ARN: names environment "sharde", which does not exist/],
    ['PLATFORM_ENV set by hand', 'dev', (c: Mutable) => (api(c).environment.PLATFORM_ENV = 'prod'),
      /services.api.environment.PLATFORM_ENV: is set by the platform/],
  ])('rejects %s', (_what, envName, edit, message) => {
    expect(error(envName, edit)).toMatch(message);
  });

  it('accepts the shipped configs: the password key injected, the cross-account key read at run time by the task role', () => {
    expect(error('none', () => undefined)).toBe('');
  });
});
