/**
 * A service's image as written in its environment config: ONE string, `<repository>:<tag>` or
 * `<repository>@sha256:<64 hex>`, so promotion (a tool or a reviewer) rewrites it in place.
 * The repository lives in the tooling account's registry (`registryHost` in core/shared-names).
 */

/** A pinned image: exactly one of `tag` and `digest`. */
export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** ECR repository names: lower-case path components separated by `/`. */
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Tags that float by convention: not a pin, even with immutable tags. */
const FLOATING_TAGS = ['latest'];

export type ImageRefResult = { readonly ok: true; readonly image: ImageRef } | { readonly ok: false; readonly problem: string };

const FORMS = '`<repository>:<tag>` (api:1.4.2) or `<repository>@sha256:<64 hex>`';

export function parseImageRef(ref: string): ImageRefResult {
  const fail = (problem: string): ImageRefResult => ({ ok: false, problem });
  const at = ref.indexOf('@');
  if (at >= 0) {
    const repository = ref.slice(0, at);
    const digest = ref.slice(at + 1);
    if (repository.includes(':')) return fail(`pins both a tag and a digest; pin one: ${FORMS}`);
    if (!DIGEST.test(digest)) return fail(`has a digest that is not sha256:<64 lower-case hex>; write ${FORMS}`);
    return checkRepository(repository) ?? { ok: true, image: { repository, digest } };
  }
  const colon = ref.lastIndexOf(':');
  if (colon < 0) return fail(`pins neither a tag nor a digest; write ${FORMS}`);
  const repository = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  if (!TAG.test(tag)) return fail(`has an invalid tag "${tag}" (letters, digits, _ . -, at most 128); write ${FORMS}`);
  if (FLOATING_TAGS.includes(tag)) return fail(`uses the floating tag "${tag}", which is not a pin; use a version tag or a digest`);
  return checkRepository(repository) ?? { ok: true, image: { repository, tag } };
}

function checkRepository(repository: string): ImageRefResult | undefined {
  if (repository.length === 0) return { ok: false, problem: `has no repository; write ${FORMS}` };
  if (repository.includes('.') && repository.split('/')[0].includes('.') && repository.includes('/')) {
    return { ok: false, problem: `names a registry host; give only the repository of the platform registry, ${FORMS}` };
  }
  if (!REPOSITORY_NAME.test(repository) || repository.length > 256) {
    return { ok: false, problem: `has an invalid repository name "${repository}" (lower-case letters, digits, . _ - and /)` };
  }
  return undefined;
}

/** The string form of an image (what config files hold). */
export function formatImageRef(image: ImageRef): string {
  return image.digest ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag}`;
}

/** The full image URI for a container definition. */
export function imageUri(registryHost: string, image: ImageRef): string {
  return `${registryHost}/${formatImageRef(image)}`;
}
