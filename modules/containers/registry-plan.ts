/**
 * The repositories of the registry, derived from every environment's services (each pinned
 * repository exists) plus the organization environment's `services.registry.extraRepositories`.
 */
import type { Platform } from '../../environments/load';
import { parseImageRef } from './image-ref';

export interface PlannedRepository {
  readonly name: string;
  /** Tags pinned by some environment, sorted. */
  readonly pinnedTags: readonly string[];
  /** Environments whose services pull from it, sorted. */
  readonly usedBy: readonly string[];
}

export function plannedRepositories(platform: Platform): PlannedRepository[] {
  const repos = new Map<string, { tags: Set<string>; envs: Set<string> }>();
  const entry = (name: string) => {
    let found = repos.get(name);
    if (!found) repos.set(name, (found = { tags: new Set(), envs: new Set() }));
    return found;
  };
  for (const name of platform.shared.services.registry?.extraRepositories ?? []) entry(name);
  for (const env of platform.environments) {
    for (const service of env.services.list) {
      const parsed = parseImageRef(service.image);
      if (!parsed.ok) continue; // reported by validateSection
      const repo = entry(parsed.image.repository);
      repo.envs.add(env.name);
      if (parsed.image.tag) repo.tags.add(parsed.image.tag);
    }
  }
  return [...repos.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { tags, envs }]) => ({ name, pinnedTags: [...tags].sort(), usedBy: [...envs].sort() }));
}

/** Accounts that pull from the registry: every workload environment's. */
export function pullAccountIds(platform: Platform): string[] {
  return [...new Set(platform.environments.filter((env) => !env.organization).map((env) => env.accountId))].sort();
}

/** ARN of a registry repository. */
export function repositoryArn(platform: Platform, repository: string): string {
  return `arn:aws:ecr:${platform.shared.region}:${platform.organization.accounts.tooling.accountId}:repository/${repository}`;
}
