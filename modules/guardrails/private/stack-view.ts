/** The read-only view of one synthesized stack that every rule receives. */
import type { EnvironmentConfig } from '../../../environments/schema';
import type { ProviderView, ResourceView, StackView } from '../rule';
import { blocks, isObject, mentions } from './values';

/** The part of cdk.tf.json the view reads. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly provider?: Readonly<Record<string, unknown>>;
}

/** The key cdktf writes construct metadata under. */
const METADATA_KEY = '//';

export function buildStackView(name: string, environment: EnvironmentConfig, json: StackJson): StackView {
  const resources = elements('resource', name, json.resource);
  const dataSources = elements('data', name, json.data);
  const byType = new Map<string, ResourceView[]>();
  for (const resource of resources) byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource]);
  const byAddress = new Map([...resources, ...dataSources].map((element) => [element.address, element]));
  const providers = new Map<string, ProviderView>();
  for (const config of blocks(json.provider?.aws)) {
    const key = typeof config.alias === 'string' ? `aws.${config.alias}` : 'aws';
    const defaultTags = Object.assign({}, ...blocks(config.default_tags).map((tags) => (isObject(tags.tags) ? tags.tags : {})));
    providers.set(key, { key, defaultTags });
  }
  return {
    name,
    environment,
    tier: environment.tier,
    resources,
    resourcesOfType: (type) => byType.get(type) ?? [],
    byAddress: (address) => byAddress.get(address),
    providers,
    referencing(type, attribute, target, literalAttributes = []) {
      const literals = literalAttributes.map((key) => target.attributes[key]).filter((value) => typeof value === 'string' && !value.includes('${'));
      return (byType.get(type) ?? []).filter((candidate) => {
        const value = candidate.attributes[attribute];
        return mentions(value, target.address) || literals.includes(value as string);
      });
    },
  };
}

function elements(mode: 'resource' | 'data', stack: string, section: StackJson['resource']): ResourceView[] {
  const result: ResourceView[] = [];
  for (const [type, byName] of Object.entries(section ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      const { [METADATA_KEY]: metadata, ...attributes } = raw;
      const path = isObject(metadata) && isObject(metadata.metadata) && typeof metadata.metadata.path === 'string' ? metadata.metadata.path : `${stack}/${name}`;
      const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
      result.push({ mode, type, name, address, path, attributes });
    }
  }
  return result;
}
