import { Construct } from 'constructs';
import { TerraformStack, Testing } from 'cdktf';
import { DataResource as TerraformData } from 'cdktf';
import { protect, protectedResources, PROTECTION_JSON_KEY } from '../../../modules/core/protection';
import { newTestStack, synthJson } from '../../helpers/platform';

describe('protect()', () => {
  function stackWith(build: (stack: TerraformStack) => void): TerraformStack {
    const stack = new TerraformStack(Testing.app(), 'test');
    build(stack);
    return stack;
  }

  it('protects the resource it is given, with its reason', () => {
    const stack = stackWith((s) => {
      protect(new TerraformData(s, 'kept'), 'holds data');
      new TerraformData(s, 'free');
    });
    expect(protectedResources(stack)).toEqual({ 'terraform_data.kept': 'holds data' });
  });

  it('protects every resource inside a construct; the innermost reason wins', () => {
    const stack = stackWith((s) => {
      const group = new Construct(s, 'group');
      protect(group, 'the group');
      new TerraformData(group, 'a');
      protect(new TerraformData(group, 'b'), 'b itself');
    });
    expect(Object.values(protectedResources(stack)).sort()).toEqual(['b itself', 'the group']);
    expect(Object.keys(protectedResources(stack))).toHaveLength(2);
  });

  it.each(['', '   '])('refuses the empty reason %j, naming the construct', (reason) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => protect(new TerraformData(stack, 'x'), reason)).toThrow(/protect\(test\/x\): give a reason/);
  });

  it('is recorded in the synthesized stack with the environment, readable addresses and no Terraform effect', () => {
    const stack = newTestStack('staging');
    protect(new TerraformData(stack, 'kept'), 'holds data');
    // Testing.synth drops the `//` property; the stack's own JSON is what cdktf writes.
    const json = stack.toTerraform() as any;
    expect(json['//'][PROTECTION_JSON_KEY]).toEqual({ environment: 'staging', resources: { 'terraform_data.kept': 'holds data' } });
    expect(synthJson(stack).resource.terraform_data.kept).not.toHaveProperty('lifecycle');
  });
});
