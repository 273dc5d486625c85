import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addressesOf, diffStackJson, diffSynthOutputs } from '../../../tools/promote/stack-diff';

const stack = (image: string, extra: Record<string, unknown> = {}) => ({
  '//': { metadata: { stackName: 'staging-platform', version: '0.21.0' } },
  provider: { aws: [{ region: 'eu-west-1' }, { alias: 'hub', region: 'eu-west-1' }] },
  resource: {
    aws_ecs_task_definition: { api: { '//': { metadata: { path: 'staging-platform/api' } }, family: 'api', container_definitions: image } },
    aws_ecs_cluster: { cluster: { name: 'staging' } },
    ...extra,
  },
  output: { cluster_arn: { value: '${aws_ecs_cluster.cluster.arn}' } },
});

describe('diffStackJson', () => {
  it('names resources, providers and outputs by Terraform address', () => {
    expect([...addressesOf(stack('api:1')).keys()]).toEqual([
      'provider.aws',
      'provider.aws.hub',
      'aws_ecs_task_definition.api',
      'aws_ecs_cluster.cluster',
      'output.cluster_arn',
    ]);
  });

  it('ignores cdktf metadata and key order', () => {
    const reordered = JSON.parse(JSON.stringify(stack('api:1')));
    reordered.resource.aws_ecs_task_definition.api = { container_definitions: 'api:1', family: 'api', '//': { metadata: { path: 'moved' } } };
    reordered['//'].metadata.version = '9.9.9';
    expect(diffStackJson(stack('api:1'), reordered)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports changed, added and removed addresses', () => {
    const after = stack('api:2', { aws_ecs_service: { api: { name: 'api' } } });
    delete (after.resource as Record<string, unknown>).aws_ecs_cluster;
    expect(diffStackJson(stack('api:1'), after)).toEqual({
      added: ['aws_ecs_service.api'],
      removed: ['aws_ecs_cluster.cluster'],
      changed: ['aws_ecs_task_definition.api'],
    });
  });
});

describe('diffSynthOutputs', () => {
  const write = (outdir: string, name: string, json: unknown) => {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  };

  it('lists only the stacks that differ, each with its addresses', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-diff-'));
    try {
      const before = path.join(dir, 'before');
      const after = path.join(dir, 'after');
      write(before, 'dev-platform', stack('api:1'));
      write(after, 'dev-platform', stack('api:1'));
      write(before, 'staging-platform', stack('api:1'));
      write(after, 'staging-platform', stack('api:2'));
      write(after, 'staging-extra', stack('api:1'));
      expect(diffSynthOutputs(before, after)).toEqual([
        expect.objectContaining({ stack: 'staging-extra', status: 'added', added: expect.arrayContaining(['aws_ecs_task_definition.api']) }),
        { stack: 'staging-platform', status: 'changed', added: [], removed: [], changed: ['aws_ecs_task_definition.api'] },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
