import { defineRule, everyTier, problems } from '../rule';
import { MANDATORY_TAGS } from '../../core/tags';
import { isObject } from '../private/values';

export const mandatoryTags = defineRule({
  id: 'PLAT-TAG-1',
  name: 'mandatory-tags',
  info: `Every taggable resource carries ${MANDATORY_TAGS.join(', ')} (through its provider's default_tags or its own tags).`,
  explanation: 'Tags attribute cost and ownership; the provider default_tags of LayerStack apply them to every taggable resource it manages.',
  fix: 'Create the resource with a provider of LayerStack (stack.provider or stack.awsProvider(...)), which sets default_tags, or set the missing tags on the resource.',
  level: everyTier('error'),
  resourceTypes: 'taggable',
  evaluate(resource, { stack }) {
    const providerKey = typeof resource.attributes.provider === 'string' ? resource.attributes.provider.replace(/^\$\{(.*)\}$/, '$1') : 'aws';
    const provider = stack.providers.get(providerKey);
    const own = isObject(resource.attributes.tags) ? resource.attributes.tags : {};
    const missing = MANDATORY_TAGS.filter((tag) => provider?.defaultTags[tag] === undefined && own[tag] === undefined);
    const where = provider ? `provider ${providerKey} default_tags` : `provider ${providerKey} (not configured in the stack)`;
    return problems(missing.length > 0 && `missing tags ${missing.join(', ')} (neither on the resource nor in ${where})`);
  },
});
