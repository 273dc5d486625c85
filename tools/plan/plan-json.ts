import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PLAN_ONLY_KEYS, SUPPORTED_FORMAT_MAJOR_VERSIONS } from './constants';
import { errors } from './errors';

/** A value in Terraform's JSON: before/after values and the `*_sensitive` / `after_unknown` shadow trees. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Values come from JSON.parse, so they are JSON already: not walked again (plans can be many megabytes). */
const jsonValue = z.custom<JsonValue>(() => true);

const changeSchema = z
  .object({
    actions: z.array(z.string()).min(1),
    before: jsonValue.optional(),
    after: jsonValue.optional(),
    after_unknown: jsonValue.optional(),
    before_sensitive: jsonValue.optional(),
    after_sensitive: jsonValue.optional(),
    replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
    importing: z.object({ id: z.string().optional() }).passthrough().nullable().optional(),
  })
  .passthrough();

const resourceChangeSchema = z
  .object({
    address: z.string().optional(),
    previous_address: z.string().optional(),
    module_address: z.string().optional(),
    mode: z.string().optional(),
    type: z.string().default(''),
    name: z.string().default(''),
    index: jsonValue.optional(),
    deposed: z.string().optional(),
    action_reason: z.string().optional(),
    change: changeSchema,
  })
  .passthrough();

const planSchema = z
  .object({
    format_version: z.string(),
    terraform_version: z.string().optional(),
    resource_changes: z.array(resourceChangeSchema).optional(),
    resource_drift: z.array(resourceChangeSchema).optional(),
    output_changes: z.record(changeSchema).optional(),
    errored: z.boolean().optional(),
  })
  .passthrough();

/** One `change` object of `terraform show -json`. */
export type Change = z.infer<typeof changeSchema>;
/** One entry of `resource_changes` or `resource_drift`. */
export type ResourceChange = z.infer<typeof resourceChangeSchema>;
/** The parts of `terraform show -json <planfile>` output this tool reads. */
export type PlanJson = z.infer<typeof planSchema>;

/** Parses the format_version major number, or undefined when it is not "N.M". */
function majorVersion(formatVersion: string): number | undefined {
  const match = /^(\d+)\.\d+$/.exec(formatVersion);
  return match ? Number(match[1]) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates and parses the text of `terraform show -json <planfile>`.
 * @param text the JSON text
 * @param source where the text came from, used in error messages
 * @throws PlanCommentError when the text is not JSON, not plan JSON, or from an unsupported format version
 */
export function parsePlanJson(text: string, source: string): PlanJson {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw errors.notJson(source);
  }
  if (!isPlainObject(data)) throw errors.notPlanJson(source, 'the top level is not an object');
  const formatVersion = data.format_version;
  if (typeof formatVersion !== 'string') throw errors.notPlanJson(source, 'it has no "format_version"');
  const major = majorVersion(formatVersion);
  if (major === undefined || !SUPPORTED_FORMAT_MAJOR_VERSIONS.includes(major)) {
    throw errors.unsupportedFormatVersion(source, formatVersion);
  }
  if (!PLAN_ONLY_KEYS.some((key) => key in data)) {
    throw errors.notPlanJson(source, 'it has none of the plan keys such as "resource_changes"; is it state JSON?');
  }
  const parsed = planSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw errors.notPlanJson(source, `${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Reads and parses a plan JSON file.
 * @throws PlanCommentError when the file cannot be read or is not supported plan JSON
 */
export function readPlanJsonFile(file: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw errors.unreadableFile(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  return parsePlanJson(text, file);
}

/** The address of a resource change; rebuilt from its parts when the JSON has none (some old plans). */
export function addressOf(change: ResourceChange): string {
  if (change.address) return change.address;
  const prefix = change.module_address ? `${change.module_address}.` : '';
  const data = change.mode === 'data' ? 'data.' : '';
  const index =
    change.index === undefined || change.index === null
      ? ''
      : typeof change.index === 'number'
        ? `[${change.index}]`
        : `[${JSON.stringify(change.index)}]`;
  return `${prefix}${data}${change.type}.${change.name}${index}`;
}
