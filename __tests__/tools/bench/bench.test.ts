import { slope, median } from '../../../tools/bench/measure';
import { generatedEnvironmentsDir } from '../../../tools/bench/generate-environments';
import { loadPlatform } from '../../../environments/load';
import { npmScriptNodeArgs } from '../../../tools/npm-script';

describe('benchmark helpers', () => {
  it('fits the per-environment cost as a least-squares slope', () => {
    expect(slope([{ x: 4, y: 900 }, { x: 14, y: 1900 }, { x: 54, y: 5900 }])).toBeCloseTo(100);
    expect(slope([{ x: 4, y: 900 }])).toBe(0);
  });

  it('takes the median run by wall time', () => {
    expect(median([{ wallMs: 3, peakRssMb: 1 }, { wallMs: 1, peakRssMb: 2 }, { wallMs: 2, peakRssMb: 3 }])).toEqual({ wallMs: 2, peakRssMb: 3 });
  });

  it('generates environments that pass every config check', () => {
    const platform = loadPlatform(generatedEnvironmentsDir(3));
    expect(platform.environments.map((env) => env.name)).toEqual(['dev', 'gen-001', 'gen-002', 'gen-003', 'prod', 'shared', 'staging']);
    // From the aligned pool 10.128.0.0/10: gen-001 takes its first /16, so the ranges summarize in NACLs.
    expect(platform.environment('gen-001')).toMatchObject({ vpcCidr: '10.128.0.0/16' });
    expect(platform.environment('gen-003')).toMatchObject({ accountId: '900000000003', vpcCidr: '10.130.0.0/16', tier: 'staging' });
  });

  it('measures exactly the node command of npm run synth', () => {
    expect(npmScriptNodeArgs('synth')).toEqual(['--require', './tools/fast-start.cjs', 'tools/synth/cli.ts']);
    expect(npmScriptNodeArgs('synth', { synth: 'node  -r ./x.cjs main.ts ' })).toEqual(['-r', './x.cjs', 'main.ts']);
    expect(() => npmScriptNodeArgs('synth', { synth: 'tsx main.ts' })).toThrow(/scripts.synth must be "node <args...>".*got "tsx main.ts"/);
    expect(() => npmScriptNodeArgs('missing', {})).toThrow(/scripts.missing must be "node <args...>".*got ""/);
  });
});
