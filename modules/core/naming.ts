/**
 * Terraform addresses are read by reviewers in every plan, so resource ids are derived from
 * purpose, tier and AZ (`app_eu_west_1a`), never from list positions or hashes.
 */
export function terraformId(...parts: string[]): string {
  return parts
    .filter((part) => part.length > 0)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase();
}

/** `eu-west-1a` -> `eu_west_1a`. */
export function zoneId(zone: string): string {
  return terraformId(zone);
}
