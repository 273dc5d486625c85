import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../../modules/core/config-issue';
import { loadPlatform, discoverEnvironments } from '../../environments/load';
import { copyEnvironmentsDir, problemsOf, shippedConfigs, writeEnvironment, type RawEnvironments } from '../helpers/environments';
import { deriveEnvironment } from '../../environments/files';

describe('loading the shipped environments', () => {
  const platform = loadPlatform();

  it('discovers every environment directory', () => {
    expect(discoverEnvironments()).toEqual(['dev', 'prod', 'shared', 'staging']);
    expect(platform.environments.map((env) => env.name)).toEqual(['dev', 'prod', 'shared', 'staging']);
  });

  it('orders the promotion chain dev -> staging -> prod, without shared', () => {
    expect(platform.promotionChain.map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
  });

  it('derives the Transit Gateway segment from the tier', () => {
    expect(Object.fromEntries(platform.environments.map((env) => [env.name, env.segment]))).toEqual({
      dev: 'nonprod',
      staging: 'nonprod',
      prod: 'prod',
      shared: 'shared',
    });
  });

  it('names an unknown environment and lists the known ones', () => {
    expect(() => platform.environment('qa')).toThrow(/unknown environment "qa"; known: dev, prod, shared, staging/);
  });
});

describe('bad input', () => {
  const cases: [string, (c: RawEnvironments) => void, RegExp][] = [
    [
      'overlapping CIDRs between two environments',
      (c) => (c.staging.vpcCidr = '10.10.128.0/17'),
      /environments\/staging\/config.ts: vpcCidr: overlaps 10.10.0.0\/16 \(dev vpcCidr\); every range joins one Transit Gateway, so each needs its own \(got "10.10.128.0\/17"\)/,
    ],
    [
      'a CIDR overlapping the on-premises range',
      (c) => (c.dev.vpcCidr = '192.168.0.0/16'),
      /environments\/shared\/config.ts: organization.transitGateway.onPremises.cidrs.0: overlaps 192.168.0.0\/16 \(dev vpcCidr\)/,
    ],
    [
      'the same account and region twice',
      (c) => {
        c.staging.accountId = c.dev.accountId;
        c.staging.deployRoleArn = c.dev.deployRoleArn;
      },
      /environments\/staging\/config.ts: accountId: account 510987654321 in eu-west-1 is already used by dev accountId; each environment needs its own account/,
    ],
    ['an account id that is not 12 digits', (c) => (c.dev.accountId = '12345'), /environments\/dev\/config.ts: accountId: must be a 12-digit AWS account id \(got "12345"\)/],
    ['an unknown region', (c) => (c.dev.region = 'eu-westish-1'), /environments\/dev\/config.ts: region: must be a known AWS region \(us-east-1, .*eu-west-1.*\) \(got "eu-westish-1"\)/],
    [
      'a zone that is not in the region',
      (c) => (c.dev.availabilityZones = ['eu-west-1a', 'eu-west-1d']),
      /environments\/dev\/config.ts: availabilityZones.1: is not a zone of eu-west-1; allowed: eu-west-1a, eu-west-1b, eu-west-1c \(got "eu-west-1d"\)/,
    ],
    [
      'a CIDR too small for the subnet layout',
      (c) => (c.dev.vpcCidr = '10.10.0.0/24'),
      /environments\/dev\/config.ts: vpcCidr: 10.10.0.0\/24 is too small for the subnet layout .*use a \/21 or larger/,
    ],
    ['a CIDR with host bits set', (c) => (c.dev.vpcCidr = '10.10.1.0/16'), /environments\/dev\/config.ts: vpcCidr: must be an IPv4 network in CIDR notation with no host bits set/],
    [
      'a missing mandatory tag',
      (c) => delete c.prod.tags['cost-center'],
      /environments\/prod\/config.ts: tags.cost-center: is required: every resource is tagged with environment, owner, cost-center, managed-by/,
    ],
    ['an unknown tier', (c) => (c.dev.tier = 'sandbox'), /environments\/dev\/config.ts: tier: must be one of dev, staging, prod \(got "sandbox"\)/],
    ['an unknown segment', (c) => (c.dev.segment = 'dmz'), /environments\/dev\/config.ts: segment: must be one of prod, nonprod, shared \(got "dmz"\)/],
    ['an unknown field', (c) => (c.dev.vpcCdir = '10.0.0.0/16'), /environments\/dev\/config.ts: \(config\): unknown field vpcCdir/],
    ['a deploy role of another account', (c) => (c.dev.deployRoleArn = c.prod.deployRoleArn), /environments\/dev\/config.ts: deployRoleArn: must be a role in the environment's own account 510987654321/],
    ['a name that is not the directory', (c) => (c.dev.name = 'develop'), /environments\/dev\/config.ts: name: must equal the directory name "dev" \(got "develop"\)/],
    [
      'a promotion from an unknown environment',
      (c) => (c.prod.promotion = { from: 'uat' }),
      /environments\/prod\/config.ts: promotion.from: must name an environment of the chain: dev, staging \(got "uat"\)/,
    ],
    ['a chain that forks', (c) => (c.prod.promotion = { from: 'dev' }), /environments\/(prod|staging)\/config.ts: promotion.from: (staging|prod) already promotes from dev; the chain cannot fork/],
    ['a chain with two starts', (c) => (c.staging.promotion = {}), /promotion.from: the chain has several starts \(dev, staging\)/],
    [
      'a chain that goes down a tier',
      (c) => {
        c.dev.promotion = { from: 'prod' };
        c.prod.promotion = {};
        c.staging.promotion = { from: 'dev' };
      },
      /environments\/dev\/config.ts: promotion.from: promotes from a higher tier \(prod -> dev\)/,
    ],
    [
      'a chain with a cycle and no start',
      (c) => (c.dev.promotion = { from: 'prod' }),
      /the promotion chain has no start: exactly one environment must have `promotion: {}`/,
    ],
    [
      'a state bucket region other than the shared region',
      (c) => (c.shared.organization.state.region = 'eu-central-1'),
      /environments\/shared\/config.ts: organization.state.region: must be the shared environment's region eu-west-1: shared-bootstrap creates the state bucket and the state key there \(got "eu-central-1"\)/,
    ],
    ['no organization', (c) => delete c.shared.organization, /organization: exactly one environment \(the shared one\) must declare the organization/],
  ];

  it.each(cases)('rejects %s', (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toMatch(expected);
  });

  it('reports every problem together, each on its own line', () => {
    const message = problemsOf((c) => {
      c.dev.accountId = '1';
      c.staging.region = 'mars-1';
      delete c.prod.tags.owner;
    });
    expect(message).toMatch(/^3 problems in the environment configs:/);
    expect(message.split('\n').filter((line) => line.startsWith('  - environments/'))).toHaveLength(3);
  });
});

describe('adding an environment directory', () => {
  it('validates a new qa directory with no other edit', () => {
    const dir = copyEnvironmentsDir();
    const qa = deriveEnvironment(shippedConfigs().staging, { name: 'qa', accountId: '810987654321', vpcCidr: '10.40.0.0/16', promotion: { from: 'staging' } });
    const prod = { ...shippedConfigs().prod, promotion: { from: 'qa' } };
    writeEnvironment(dir, 'qa', qa);
    writeEnvironment(dir, 'prod', prod);
    const platform = loadPlatform(dir);
    expect(platform.promotionChain.map((env) => env.name)).toEqual(['dev', 'staging', 'qa', 'prod']);
  });

  it('loads a directory given relative to the working directory', () => {
    const dir = copyEnvironmentsDir();
    const relative = path.relative(process.cwd(), dir);
    expect(relative.startsWith('/')).toBe(false);
    expect(loadPlatform(relative).environments.map((env) => env.name)).toEqual(['dev', 'prod', 'shared', 'staging']);
  });

  it('names the file that does not load', () => {
    const dir = copyEnvironmentsDir();
    writeEnvironment(dir, 'qa', {});
    fs.writeFileSync(`${dir}/qa/config.ts`, "throw new Error('qa is not ready');\nexport default {};\n");
    expect(() => loadPlatform(dir)).toThrow(/environments\/qa\/config.ts: config.ts: cannot be loaded for "qa": qa is not ready/);
  });

  it('shows a syntax error with its line, column and a code frame, as TypeScript would', () => {
    const dir = copyEnvironmentsDir();
    const lines = fs.readFileSync(`${dir}/dev/config.ts`, 'utf8').split('\n');
    const tier = lines.findIndex((line) => line.includes("tier: 'dev',"));
    lines[tier] = lines[tier].replace(',', ''); // the comma after tier: 'dev' forgotten
    fs.mkdirSync(`${dir}/qa`);
    fs.writeFileSync(`${dir}/qa/config.ts`, lines.join('\n'));
    const message = problemsOfDir(dir);
    const next = tier + 2; // the line after, where the parser notices (1-based)
    expect(message).toContain(`environments/qa/config.ts:${next}:3: syntax error: Expected "}" but found "accountId"`);
    expect(message).toMatch(new RegExp(`\\n {4}> +${next} \\|   accountId: '510987654321',\\n {4} +\\| {3}\\^\\n`));
    expect(message).not.toMatch(/Transform failed/);
  });
});

/** A copy of dev as `qa` in its own account and range (what a newcomer copies), with `promotion` set or removed. */
function copiedQa(promotion: { from?: string } | undefined): string {
  const dir = copyEnvironmentsDir();
  const qa = deriveEnvironment(shippedConfigs().dev, { name: 'qa', accountId: '810987654321', vpcCidr: '10.40.0.0/16', promotion });
  if (promotion && !promotion.from) qa.promotion = {};
  writeEnvironment(dir, 'qa', qa);
  return dir;
}

function problemsOfDir(dir: string): string {
  try {
    loadPlatform(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the environments to be rejected');
}

describe('an unknown field', () => {
  const cases: [string, (c: RawEnvironments) => void, RegExp][] = [
    ['at the top', (c) => (c.dev.vpcCidrr = '10.10.0.0/16'), /environments\/dev\/config.ts: \(config\): unknown field vpcCidrr \(did you mean vpcCidr\?\)/],
    ['in a service', (c) => (c.dev.services.list[0].healthCheckPth = '/'), /environments\/dev\/config.ts: services.list.0: unknown field healthCheckPth \(did you mean healthCheckPath\?\)/],
    ['in the promotion', (c) => (c.staging.promotion = { form: 'dev' }), /environments\/staging\/config.ts: promotion: unknown field form \(did you mean from\?\)/],
    [
      'in a subscription (a union of object shapes)',
      (c) => (c.dev.observability.alerts.notify['platform-team'].endpont = 'x@acme.example'),
      /environments\/dev\/config.ts: observability.alerts.notify.platform-team: unknown field endpont \(did you mean endpoint\?\)/,
    ],
    [
      'in the organization',
      (c) => (c.shared.organization.githubb = c.shared.organization.github),
      /environments\/shared\/config.ts: organization: unknown field githubb \(did you mean github\?\)/,
    ],
    ['far from every known one: lists those allowed', (c) => (c.staging.promotion = { zzz: 1 }), /promotion: unknown field zzz; allowed here: from/],
  ];

  it.each(cases)('%s suggests the nearest known one', (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toMatch(expected);
  });
});

describe('copying environments/dev to environments/qa', () => {
  it('is accepted outside the chain (no `promotion`)', () => {
    const platform = loadPlatform(copiedQa(undefined));
    expect(platform.environments.map((env) => env.name)).toContain('qa');
    expect(platform.promotionChain.map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
  });

  it('as a second start: blames qa and says how to take it out of the chain or give it a `from`', () => {
    const message = problemsOfDir(copiedQa({}));
    expect(message).toMatch(/^1 problem in/);
    expect(message).toContain('environments/qa/config.ts: promotion.from: the chain has several starts (dev, qa): qa starts a chain of its own beside dev -> staging -> prod.');
    expect(message).toContain('Take qa out of the chain (delete `promotion` here');
    expect(message).toContain("`promotion: { from: 'dev' }` here and `promotion: { from: 'qa' }` in environments/staging/config.ts");
    expect(message).not.toMatch(/environments\/(dev|staging|prod)\/config.ts:/);
  });

  it('as a fork from dev: blames qa, not staging, and says both ways out', () => {
    const message = problemsOfDir(copiedQa({ from: 'dev' }));
    expect(message).toMatch(/^1 problem in/);
    expect(message).toContain('environments/qa/config.ts: promotion.from: staging already promotes from dev; the chain cannot fork (dev -> staging -> prod is the chain).');
    expect(message).toContain('Take qa out of the chain (delete `promotion` here) or put it in line: between dev and staging');
    expect(message).not.toMatch(/environments\/staging\/config.ts: promotion/);
  });

  it('appended after prod: refused as a step down a tier, on qa', () => {
    expect(problemsOfDir(copiedQa({ from: 'prod' }))).toMatch(/environments\/qa\/config.ts: promotion.from: promotes from a higher tier \(prod -> dev\)/);
  });

  it('put in line between dev and staging: accepted', () => {
    const dir = copiedQa({ from: 'dev' });
    writeEnvironment(dir, 'staging', { ...shippedConfigs().staging, promotion: { from: 'qa' } });
    expect(loadPlatform(dir).promotionChain.map((env) => env.name)).toEqual(['dev', 'qa', 'staging', 'prod']);
  });
});

describe('a directory of environments/ that yields no environment', () => {
  it('is an error when empty, naming the directory and what to do', () => {
    const dir = copyEnvironmentsDir();
    fs.mkdirSync(`${dir}/qa`);
    expect(problemsOfDir(dir)).toMatch(
      /environments\/qa\/: config.ts: missing \(the directory is empty\); every directory of environments\/ is an environment: add config.ts with a default export typed EnvironmentInput .* or remove the directory/,
    );
  });

  it('is an error when its config file is misnamed, with the rename that fixes it', () => {
    const dir = copyEnvironmentsDir();
    fs.mkdirSync(`${dir}/qa`);
    fs.copyFileSync(`${dir}/dev/config.ts`, `${dir}/qa/Config.ts`);
    expect(problemsOfDir(dir)).toMatch(/environments\/qa\/: config.ts: missing, but there is Config.ts: rename it to config.ts/);
  });

  it('is an error when it holds something else, naming what it holds', () => {
    const dir = copyEnvironmentsDir();
    fs.mkdirSync(`${dir}/qa`);
    fs.writeFileSync(`${dir}/qa/README.md`, '# qa\n');
    expect(problemsOfDir(dir)).toMatch(/environments\/qa\/: config.ts: missing \(the directory holds README.md\)/);
  });
});
