/**
 * Access contracts (access-contracts.ts), proven by @cloud-copilot/iam-simulate over the policies
 * of a fresh synth of every stack, and the coverage check: every Allow statement of every
 * resource and trust policy, every `sts:AssumeRole` grant of an identity policy and every role
 * a stack assumes (provider, backend, remote state) is exercised by a passing contract.
 */
import { ACCESS_CONTRACTS, accessContracts, type AccessContract, PENDING_FIXES } from './access-contracts';
import { AccessEvaluator, CannotEvaluate, describePrincipal, type Evaluation, statementsOf } from './evaluator';
import { PolicyInventory, unreadPolicyAttributes } from './policy-inventory';
import { synthesizePlatform } from './synthesized-platform';

const { synthesized, cleanup } = synthesizePlatform();
afterAll(cleanup);
const inventory = new PolicyInventory(synthesized);
const evaluator = new AccessEvaluator(inventory, synthesized.platform.organization.id);
const byFamily = accessContracts({ synthesized, inventory });

/** What happened to each contract: its evaluation, or why it could not be evaluated. */
const outcomes = new Map<string, { evaluation?: Evaluation; error?: string }>();

async function outcomeOf(contract: AccessContract): Promise<{ evaluation?: Evaluation; error?: string }> {
  const known = outcomes.get(contract.id);
  if (known) return known;
  let outcome: { evaluation?: Evaluation; error?: string };
  try {
    outcome = { evaluation: await evaluator.evaluate(contract.request) };
  } catch (error) {
    if (!(error instanceof CannotEvaluate)) throw error;
    outcome = { error: error.message };
  }
  outcomes.set(contract.id, outcome);
  return outcome;
}

/** Why a contract does not hold, or undefined when it does. */
async function violation(contract: AccessContract): Promise<string | undefined> {
  const { evaluation, error } = await outcomeOf(contract);
  if (error) return `cannot be evaluated: ${error}`;
  if (contract.broken && contract.expect === 'Allow') return `broken: ${contract.broken}`;
  if (evaluation!.decision === contract.expect) return undefined;
  return [
    `expected ${contract.expect}, the evaluator says ${evaluation!.result}`,
    `  principal: ${describePrincipal(contract.request.principal)}`,
    `  action:    ${contract.request.action}`,
    `  resource:  ${contract.request.resource}`,
    `  context:   ${JSON.stringify(contract.request.context ?? {})}`,
    `  resource policy: ${evaluation!.resourcePolicy ?? 'none'}`,
    `  why it must be ${contract.expect}: ${contract.why}`,
  ].join('\n');
}

function pendingDefect(contract: AccessContract): string | undefined {
  return PENDING_FIXES.find((pending) => pending.id.test(contract.id))?.defect;
}

const allContracts = Object.values(byFamily).flat();

describe('access contracts, evaluated over the synthesized policies', () => {
  it('has a family for every name in ACCESS_CONTRACTS and contracts in each', () => {
    for (const name of Object.keys(ACCESS_CONTRACTS)) expect({ name, count: byFamily[name].length }).toEqual({ name, count: expect.any(Number) });
    expect(allContracts.length).toBeGreaterThan(200);
  });

  for (const [family, contracts] of Object.entries(byFamily)) {
    describe(family, () => {
      for (const contract of contracts) {
        const defect = pendingDefect(contract);
        const title = `${contract.expect === 'Allow' ? 'ALLOW' : 'DENY '} ${contract.id}`;
        if (defect) {
          // A known failure until the fix for issue 16 defect `defect` lands; passing here fails the test: remove the entry.
          it.failing(`${title} [pending: ${defect}]`, async () => {
            expect(await violation(contract)).toBeUndefined();
          });
        } else {
          it(title, async () => {
            expect(await violation(contract)).toBeUndefined();
          });
        }
      }
    });
  }
});

describe('coverage: every access path of every stack is exercised by a contract', () => {
  let covered: Set<string>;
  let pendingPolicies: Set<string>;

  beforeAll(async () => {
    covered = new Set();
    pendingPolicies = new Set();
    for (const contract of allContracts) {
      const { evaluation } = await outcomeOf(contract);
      if (pendingDefect(contract)) {
        const target = inventory.resourcePolicyFor(contract.request.resource);
        if (target) pendingPolicies.add(target.id);
        if (contract.exercises) pendingPolicies.add(`assumption:${contract.exercises}`);
        continue;
      }
      if (!evaluation || contract.expect !== 'Allow' || evaluation.decision !== 'Allow' || contract.broken) continue;
      for (const statement of evaluation.allowedBy) {
        covered.add(`${statement.policyId}#${statement.index}`);
        covered.add(`${statement.policyId}#${statement.index}@${contract.request.resource}`);
      }
      if (contract.exercises) covered.add(`assumption:${contract.exercises}`);
    }
  });

  /** Uncovered items, with pending ones left out. */
  const uncovered = (items: { key: string; policy: string; describe: string }[]) =>
    items.filter((item) => !covered.has(item.key) && !pendingPolicies.has(item.policy)).map((item) => item.describe);

  it('every Allow statement of every resource and trust policy', () => {
    const items = inventory.policies
      .filter((policy) => policy.kind !== 'identity')
      .flatMap((policy) =>
        statementsOf(policy.document)
          .map((statement, index) => ({ statement, index }))
          .filter(({ statement }) => statement.Effect === 'Allow')
          .map(({ statement, index }) => ({ key: `${policy.id}#${index}`, policy: policy.id, describe: `${policy.id} statement ${index} (${statement.Sid ?? 'no Sid'})` })),
      );
    expect(items.length).toBeGreaterThan(50);
    expect(uncovered(items)).toEqual([]);
  });

  it('every role an identity policy lets its role assume', () => {
    const items = inventory.policies
      .filter((policy) => policy.kind === 'identity' && policy.stack)
      .flatMap((policy) =>
        statementsOf(policy.document).flatMap((statement, index) => {
          const actions = [statement.Action ?? []].flat() as string[];
          if (statement.Effect !== 'Allow' || !actions.some((action) => /^sts:(AssumeRole|\*)/i.test(action) || action === '*')) return [];
          return ([statement.Resource ?? []].flat() as string[]).map((resource) => ({
            key: `${policy.id}#${index}@${resource}`,
            policy: policy.id,
            describe: `${policy.id} statement ${index} (${statement.Sid ?? 'no Sid'}) lets its role assume ${resource}`,
          }));
        }),
      );
    expect(items.length).toBeGreaterThan(10);
    expect(uncovered(items)).toEqual([]);
  });

  it('every role a stack assumes: providers (with the plan tooling swap), backend, remote state', () => {
    const items = inventory.assumptions.flatMap((assumption) =>
      [assumption.id, `${assumption.id} (plan)`].map((id) => ({ key: `assumption:${id}`, policy: `assumption:${id}`, describe: `${id} assumes ${assumption.roleArn}` })),
    );
    expect(items.length).toBeGreaterThan(40);
    expect(uncovered(items)).toEqual([]);
  });

  it('reads every attribute that holds a policy (a new kind of resource policy needs the inventory and contracts)', () => {
    expect(unreadPolicyAttributes(synthesized)).toEqual([]);
  });

  it('lists no pending fix that matches no contract', () => {
    expect(PENDING_FIXES.filter((pending) => !allContracts.some((contract) => pending.id.test(contract.id))).map((p) => String(p.id))).toEqual([]);
  });
});
