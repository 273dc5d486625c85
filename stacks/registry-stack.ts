import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';
import { CustomerManagedKey } from '../modules/core/customer-managed-key';
import { terraformId } from '../modules/core/naming';
import { registryHost } from '../modules/core/shared-names';
import { plannedRepositories, pullAccountIds, RegistryRepository } from '../modules/containers';

/** Alias of the registry's image encryption key. */
export const REGISTRY_KEY_ALIAS = 'alias/platform-registry';

/**
 * shared-registry: ECR repositories in the tooling account; images are built once and promoted
 * by tag or digest. One repository per repository name any environment's services pin (plus
 * `services.registry.extraRepositories` of the organization environment); workload accounts
 * may pull, never push.
 */
export class RegistryStack extends LayerStack {
  /** Repositories by name. */
  readonly repositories: Readonly<Record<string, RegistryRepository>>;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, { platform: props.platform, environment: props.platform.shared, layer: 'registry', account: props.platform.organization.accounts.tooling });
    const settings = this.environment.services.registry;
    const tooling = this.account.accountId;
    const key = new CustomerManagedKey(this, 'registry_key', {
      description: 'Encrypts the images of the platform registry',
      aliasName: REGISTRY_KEY_ALIAS,
      accountId: tooling,
      region: this.region,
    });

    const pullers = pullAccountIds(props.platform);
    const repositories: Record<string, RegistryRepository> = {};
    for (const planned of plannedRepositories(props.platform)) {
      repositories[planned.name] = new RegistryRepository(this, terraformId('repository', planned.name), {
        repositoryName: planned.name,
        kmsKeyArn: key.arn,
        pullAccountIds: pullers,
        pinnedTags: planned.pinnedTags,
        keepTaggedImages: settings?.keepTaggedImages,
        untaggedExpiryDays: settings?.untaggedExpiryDays,
      });
    }
    this.repositories = repositories;
    new TerraformOutput(this, 'registry_host', { staticId: true, value: registryHost(this.organization, this.region), description: 'Push images here: <host>/<repository>:<tag>' });
  }
}
