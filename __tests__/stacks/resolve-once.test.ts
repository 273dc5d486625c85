/**
 * stacks/resolve-once.ts: a synth resolves each element once (cdktf's preparing pass) and
 * assembles the stack from that. What it writes must be exactly what cdktf's own
 * `TerraformStack.toTerraform` gives for the finished tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { buildPlatform } from '../../stacks/platform-app';
import { LayerStack } from '../../stacks/layer-stack';
import { prepareElements, terraformElements } from '../../stacks/resolve-once';
import { stackJsonPath } from '../../tools/synth/synthesize';
import { shippedPlatform } from '../helpers/platform';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-once-'));

/** cdktf's own JSON of the stack, as written (JSON drops undefined). */
function cdktfOwnJson(stack: TerraformStack): unknown {
  return JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack)));
}

function written(outdir: string, stack: TerraformStack): unknown {
  return JSON.parse(fs.readFileSync(stackJsonPath(outdir, stack.node.id), 'utf8'));
}

describe('resolving each element once per synth', () => {
  it('writes every shipped stack exactly as cdktf would, alarms added by Aspects after the preparing pass included', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const { all } = buildPlatform(app, shippedPlatform());
    app.synth();
    expect(all.length).toBeGreaterThan(10);
    for (const stack of all) expect({ stack: stack.node.id, json: written(outdir, stack) }).toEqual({ stack: stack.node.id, json: cdktfOwnJson(stack) });
    const alarms = all.flatMap((stack) => Object.keys((written(outdir, stack) as { resource?: Record<string, object> }).resource?.aws_cloudwatch_metric_alarm ?? {}));
    expect(alarms.length).toBeGreaterThan(0);
  });

  it('writes cross-stack references: the output and remote state the preparing pass adds', () => {
    const platform = shippedPlatform();
    const outdir = tmp();
    const app = new App({ outdir });
    const producer = new LayerStack(app, { platform, environment: platform.environment('dev'), layer: 'producer' });
    const consumer = new LayerStack(app, { platform, environment: platform.environment('dev'), layer: 'consumer' });
    const source = new SsmParameter(producer, 'source', { name: '/platform/source', type: 'String', value: 'v1' });
    new SsmParameter(consumer, 'copy', { name: '/platform/copy', type: 'String', value: source.value });
    app.synth();

    const consumerJson = written(outdir, consumer) as any;
    expect(Object.keys(consumerJson.data.terraform_remote_state)).toHaveLength(1);
    expect(consumerJson.resource.aws_ssm_parameter.copy.value).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\}$/);
    expect(Object.keys((written(outdir, producer) as any).output)).toHaveLength(1);
    for (const stack of [producer, consumer]) expect(written(outdir, stack)).toEqual(cdktfOwnJson(stack));
  });

  it("resolves tokens in the stack's own overrides, the one part not resolved before assembly", () => {
    const platform = shippedPlatform();
    const outdir = tmp();
    const app = new App({ outdir });
    const stack = new LayerStack(app, { platform, environment: platform.environment('dev'), layer: 'overridden' });
    const parameter = new SsmParameter(stack, 'flag', { name: '/platform/flag', type: 'String', value: 'on' });
    stack.addOverride('locals.flag_arn', parameter.arn);
    app.synth();
    const json = written(outdir, stack) as any;
    expect(json.locals.flag_arn).toBe('${aws_ssm_parameter.flag.arn}');
    expect(json).toEqual(cdktfOwnJson(stack));
  });

  it('keeps what each element of the stack resolved to, in cdktf order', () => {
    const platform = shippedPlatform();
    const stack = new LayerStack(new App({ outdir: tmp() }), { platform, environment: platform.environment('dev'), layer: 'test' });
    new SsmParameter(stack, 'flag', { name: '/platform/flag', type: 'String', value: 'on' });
    const prepared = prepareElements(stack);
    expect([...prepared.keys()]).toEqual(terraformElements(stack));
    const parameter = [...prepared.values()].find((json: any) => json.resource?.aws_ssm_parameter) as any;
    expect(parameter.resource.aws_ssm_parameter.flag).toMatchObject({ name: '/platform/flag', value: 'on' });
  });
});
