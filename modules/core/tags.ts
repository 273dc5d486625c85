/** Tags every resource carries, through the provider's `default_tags`. */
export const MANDATORY_TAGS = ['environment', 'owner', 'cost-center', 'managed-by'] as const;
export type MandatoryTag = (typeof MANDATORY_TAGS)[number];
