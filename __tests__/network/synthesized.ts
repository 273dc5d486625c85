/**
 * The synthesized JSON of every stack (a fresh synth into a temporary directory) and the way
 * tests follow references in it, across stacks through `terraform_remote_state` outputs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, stackJsonPath } from '../../tools/synth/synthesize';
import { parseJsonencode } from '../../modules/core/jsonencode-reader';
import type { Platform } from '../../environments/load';

export type Json = Record<string, any>;

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\}$/;

export class SynthesizedPlatform {
  /** Synthesizes every stack into a fresh directory; call `dispose` when done. */
  static synth(prefix: string): SynthesizedPlatform {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const result = synthesize({ outdir });
    const stacks = Object.fromEntries(result.stacks.map((stack) => [stack.name, JSON.parse(fs.readFileSync(stackJsonPath(result.outdir, stack.name), 'utf8'))]));
    return new SynthesizedPlatform(outdir, result.platform, stacks);
  }

  private constructor(
    private readonly outdir: string,
    readonly platform: Platform,
    readonly stacks: Record<string, Json>,
  ) {}

  dispose(): void {
    fs.rmSync(this.outdir, { recursive: true, force: true });
  }

  /** `[stack:type.name, body]` of every resource of a type in a stack. */
  resources(stack: string, type: string): [string, Json][] {
    return Object.entries(this.stacks[stack].resource?.[type] ?? {}).map(([name, body]) => [`${stack}:${type}.${name}`, body as Json]);
  }

  /** `stack:type.name` of the resource a value points at, following cross-stack outputs. */
  resolve(stack: string, value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const local = REFERENCE.exec(value);
    if (local) return `${stack}:${local[1]}.${local[2]}`;
    const remote = REMOTE_OUTPUT.exec(value);
    if (!remote) return undefined;
    const key = this.stacks[stack].data.terraform_remote_state[remote[1]].config.key;
    const producer = Object.keys(this.stacks).find((name) => this.stacks[name].terraform?.backend?.s3?.key === key);
    if (!producer) throw new Error(`${stack} reads state ${key}, which no synthesized stack writes`);
    return this.resolve(producer, this.stacks[producer].output[remote[2]].value);
  }
}

/** A policy as written in the JSON: plain JSON, or `${jsonencode(...)}` when it holds references. */
export function policyJson(text: string): Json {
  const parsed = text.startsWith('${jsonencode(') ? parseJsonencode(text) : JSON.parse(text);
  if (parsed === undefined) throw new Error(`not a policy document: ${text.slice(0, 80)}`);
  return parsed as Json;
}
