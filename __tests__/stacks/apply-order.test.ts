import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, stackJsonPath } from '../../tools/synth/synthesize';
import { applyOrder, layerOf, LAYER_APPLY_ORDER } from '../../stacks/apply-order';

describe('apply order', () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'order-')), 'out');
  const { stacks } = synthesize({ outdir });
  const byStateKey = new Map(stacks.map((s) => [s.stateKey, s.name]));

  it('knows the layer of every stack', () => {
    for (const { name } of stacks) expect(LAYER_APPLY_ORDER).toContain(layerOf(name));
  });

  it('applies every stack after each stack whose state it reads, so there is no cycle', () => {
    const order = applyOrder(stacks.map((s) => s.name), ['shared', 'dev', 'staging', 'prod']);
    const edges: string[] = [];
    for (const { name } of stacks) {
      const json = JSON.parse(fs.readFileSync(stackJsonPath(outdir, name), 'utf8'));
      for (const remote of Object.values<any>(json.data?.terraform_remote_state ?? {})) {
        const producer = byStateKey.get(remote.config.key);
        expect(producer).toBeDefined();
        edges.push(`${producer} -> ${name}`);
        expect(order.indexOf(producer!)).toBeLessThan(order.indexOf(name));
      }
    }
    expect(edges.every((edge) => !edge.startsWith('undefined'))).toBe(true);
  });

  it('orders by environment, then by layer inside each', () => {
    expect(applyOrder(['prod-network', 'dev-platform', 'dev-network', 'shared-network-hub', 'shared-bootstrap'], ['shared', 'dev', 'staging', 'prod'])).toEqual([
      'shared-bootstrap',
      'shared-network-hub',
      'dev-network',
      'dev-platform',
      'prod-network',
    ]);
  });
});
