/**
 * The one list of what moves between environments by promotion (the "pinned values"): the
 * same base promoted dev -> staging -> prod, everything else (accounts, CIDRs, sizes, counts)
 * stays an overlay of its environment. Add a field here to make it promotable; nothing else
 * needs to change.
 */

/** How a pinned value is checked before it moves. */
export type PinKind =
  /** A container image pin, `<repository>:<tag>` or `<repository>@sha256:<64 hex>` (modules/containers/image-ref). */
  | 'image'
  /** A plain string, number or boolean (a feature flag or module setting). */
  | 'value';

export interface PromotableField {
  /**
   * Path of the field in an environment config, segments joined by `.`; `*` matches any one
   * key (a service name, a flag name). Elements of a list are named by their `name` field
   * (`services.list.api.image`). Keys of `promotable` may themselves contain dots
   * (`feature.checkout-v2`): a `*` matches the whole key.
   */
  readonly pattern: string;
  readonly kind: PinKind;
  /**
   * What happens when the source has the field and the target does not.
   * `insert`: the field is added to the target config; `skip`: it is reported and left out
   * (a service that the target does not run yet is added by hand, with its sizes).
   */
  readonly whenMissing: 'insert' | 'skip';
  /** One line shown in `--diff` and in reviews. */
  readonly description: string;
}

export const PROMOTABLE_FIELDS: readonly PromotableField[] = [
  {
    pattern: 'services.list.*.image',
    kind: 'image',
    whenMissing: 'skip',
    description: 'image each container service runs (tag or digest)',
  },
  {
    pattern: 'promotable.*',
    kind: 'value',
    whenMissing: 'insert',
    description: 'feature flags and module settings marked promotable',
  },
];
