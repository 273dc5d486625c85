import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { terraformJson } from '../../../modules/core/terraform-json';
import { parseJsonencode } from '../../../modules/core/jsonencode-reader';

/** The string cdktf writes into the Terraform JSON for `value`. */
function synthesized(value: string): string {
  const stack = new TerraformStack(Testing.app() as App, 'test');
  new TerraformOutput(stack, 'document', { value });
  return JSON.parse(Testing.synth(stack)).output.document.value;
}

describe('terraformJson', () => {
  it('keeps a document without tokens or backslashes a plain JSON string', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] };
    expect(synthesized(terraformJson(document))).toBe(JSON.stringify(document));
  });

  // cdktf's HCL writer escapes `"` but not `\` in literal strings, so `\"` of a JSON string reached
  // Terraform as a bare quote (the dashboard's SEARCH expressions): such documents go through
  // jsonencode, whose string literals cdktf does not escape at all, so terraformJson does.
  it('writes a document whose strings hold quotes, backslashes or template marks through jsonencode, escaped', () => {
    const document = { expression: `SEARCH('{AWS/ECS} ServiceName="api"', 'Average', 300)`, path: 'C:\\logs', literal: '%{not a directive}' };
    const text = synthesized(terraformJson(document));
    expect(text).toMatch(/^\$\{jsonencode\(/);
    expect(text).toContain('ServiceName=\\"api\\"');
    expect(text).toContain('C:\\\\logs');
    expect(text).toContain('%%{not a directive}');
    // Read back as Terraform reads the literals: the quotes and the backslash are the document's own.
    expect(parseJsonencode(text)).toMatchObject({ expression: document.expression, path: document.path });
  });
});
