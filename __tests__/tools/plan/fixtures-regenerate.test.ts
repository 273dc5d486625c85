import { spawnSync } from 'node:child_process';
import { summarizePlan } from '../../../tools/plan/summarize';
import { parsePlanJson, type PlanJson, type ResourceChange } from '../../../tools/plan/plan-json';
import { FIXTURE_NAMES, loadFixture } from './fixtures';
import { planAllScenarios, SCENARIOS, TERRAFORM_BIN } from './terraform-data-plans';

const terraformOnPath = spawnSync(TERRAFORM_BIN, ['version'], { encoding: 'utf8' }).status === 0;
if (!terraformOnPath) {
  // eslint-disable-next-line no-console
  console.warn(`fixtures-regenerate: skipped, "${TERRAFORM_BIN}" is not on PATH (set TERRAFORM_BIN or install Terraform)`);
}

/** What must stay the same when the fixtures are regenerated: addresses, actions, reasons, imports, moves. */
function shape(plan: PlanJson) {
  const entry = (change: ResourceChange) => ({
    address: change.address,
    previous_address: change.previous_address,
    actions: change.change.actions,
    action_reason: change.action_reason,
    importing: change.change.importing !== undefined,
    replace_paths: change.change.replace_paths,
  });
  return {
    format_version: plan.format_version,
    resource_changes: (plan.resource_changes ?? []).map(entry),
    resource_drift: (plan.resource_drift ?? []).map(entry),
    output_changes: Object.fromEntries(Object.entries(plan.output_changes ?? {}).map(([name, c]) => [name, c.actions])),
  };
}

describe('fixtures', () => {
  it('has one committed fixture per scenario', () => {
    expect([...FIXTURE_NAMES]).toEqual(SCENARIOS.map((scenario) => scenario.name).sort());
  });

  (terraformOnPath ? describe : describe.skip)('regenerated with terraform', () => {
    let regenerated: Map<string, unknown>;
    beforeAll(async () => {
      regenerated = await planAllScenarios();
    });

    it.each(SCENARIOS.map((scenario) => scenario.name))('%s has the same resource_changes shape as the fixture', (name) => {
      const plan = parsePlanJson(JSON.stringify(regenerated.get(name)), `regenerated ${name}`);
      expect(shape(plan)).toEqual(shape(loadFixture(name)));
      expect(summarizePlan(name, plan).counts).toEqual(summarizePlan(name, loadFixture(name)).counts);
    });
  });
});
