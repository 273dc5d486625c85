/**
 * AWS commercial regions this platform deploys to, with the availability-zone suffixes they
 * offer. Zones are listed explicitly in every environment config (no API look-up at synth time),
 * so the list here is what lets a typo such as `eu-west-1d` fail at synth rather than at apply.
 */
export const REGION_ZONE_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['a', 'b', 'c', 'd', 'e', 'f'],
  'us-east-2': ['a', 'b', 'c'],
  'us-west-1': ['a', 'b', 'c'],
  'us-west-2': ['a', 'b', 'c', 'd'],
  'ca-central-1': ['a', 'b', 'd'],
  'sa-east-1': ['a', 'b', 'c'],
  'eu-west-1': ['a', 'b', 'c'],
  'eu-west-2': ['a', 'b', 'c'],
  'eu-west-3': ['a', 'b', 'c'],
  'eu-central-1': ['a', 'b', 'c'],
  'eu-central-2': ['a', 'b', 'c'],
  'eu-north-1': ['a', 'b', 'c'],
  'eu-south-1': ['a', 'b', 'c'],
  'eu-south-2': ['a', 'b', 'c'],
  'ap-south-1': ['a', 'b', 'c'],
  'ap-southeast-1': ['a', 'b', 'c'],
  'ap-southeast-2': ['a', 'b', 'c'],
  'ap-northeast-1': ['a', 'c', 'd'],
  'ap-northeast-2': ['a', 'b', 'c', 'd'],
  'ap-northeast-3': ['a', 'b', 'c'],
  'me-central-1': ['a', 'b', 'c'],
  'af-south-1': ['a', 'b', 'c'],
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_ZONE_SUFFIXES);

export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(REGION_ZONE_SUFFIXES, region);
}

/** The zone names of a region, for example `eu-west-1a`, `eu-west-1b`, `eu-west-1c`. */
export function zonesOf(region: string): string[] {
  return (REGION_ZONE_SUFFIXES[region] ?? []).map((suffix) => `${region}${suffix}`);
}

/** The zone's letter (`eu-west-1b` -> `b`); stable keys and subnet slots are derived from it. */
export function zoneLetter(zone: string): string {
  return zone.slice(-1);
}
