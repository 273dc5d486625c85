/**
 * Which stack reads which: the dependency graph of synthesized stacks, from their Terraform alone.
 *
 * A stack writes the state its backend names (`terraform.backend.<type>` key, or path for the
 * local backend); a stack reads another when one of its `terraform_remote_state` data sources
 * names that state (`config.key`, or `config.path`). The outputs a reader uses are the
 * `data.terraform_remote_state.<name>.outputs.<output>` references in its configuration.
 * stacks/apply-order.ts puts producers first; this graph says who must follow whom when only
 * some stacks change (readers of a changed stack are planned too, destroys go reader-first).
 */
import * as fs from 'fs';
import * as path from 'path';
import { remoteStateUses, type StackJson } from '../terraform/check-workspace';

const REMOTE_STATE = 'terraform_remote_state';
const STACK_FILE = 'cdk.tf.json';

/** One remote-state read: `reader` reads `outputs` of `producer`'s state through `data.terraform_remote_state.<dataSource>`. */
export interface StackRead {
  readonly reader: string;
  readonly producer: string;
  readonly dataSource: string;
  readonly outputs: readonly string[];
}

/** The state a backend or remote-state config names: its key (S3) or path (local). */
export function stateName(config: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const name = config?.key ?? config?.path;
  return typeof name === 'string' ? name : undefined;
}

export class StackGraph {
  /** The graph of the stacks below a synth outdir (`<outdir>/stacks/<name>/cdk.tf.json`). */
  static fromOutdir(outdir: string): StackGraph {
    const stacksDir = path.join(outdir, 'stacks');
    const stacks = new Map<string, StackJson>();
    for (const name of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : []) {
      const file = path.join(stacksDir, name, STACK_FILE);
      if (fs.existsSync(file)) stacks.set(name, JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson);
    }
    return new StackGraph(stacks);
  }

  /** Every remote-state read between the stacks; reads of a state no stack writes are left out. */
  readonly reads: readonly StackRead[];

  constructor(readonly stacks: ReadonlyMap<string, StackJson>) {
    const writer = new Map<string, string>();
    for (const [stack, json] of stacks) {
      const state = stateName(Object.values(json.terraform?.backend ?? {})[0]);
      if (state) writer.set(state, stack);
    }
    const reads: StackRead[] = [];
    for (const [reader, json] of stacks) {
      const uses = remoteStateUses(json);
      for (const [dataSource, block] of Object.entries(json.data?.[REMOTE_STATE] ?? {})) {
        const producer = writer.get(stateName(block.config) ?? '');
        if (producer && producer !== reader) reads.push({ reader, producer, dataSource, outputs: [...(uses.get(dataSource) ?? [])].sort() });
      }
    }
    this.reads = reads;
  }

  /** The stacks `reader` reads directly, sorted. */
  producersOf(reader: string): string[] {
    return unique(this.reads.filter((read) => read.reader === reader).map((read) => read.producer));
  }

  /** The stacks that read `producer` directly, sorted. */
  readersOf(producer: string): string[] {
    return unique(this.reads.filter((read) => read.producer === producer).map((read) => read.reader));
  }

  /**
   * Every stack that reads one of `changed`, directly or through other readers, that is not itself
   * in `changed`: reader -> the stacks it reads through which it is affected (sorted).
   */
  transitiveReaders(changed: Iterable<string>): Map<string, string[]> {
    const start = new Set(changed);
    const reached = new Map<string, Set<string>>();
    const queue = [...start];
    while (queue.length > 0) {
      const producer = queue.shift()!;
      for (const reader of this.readersOf(producer)) {
        if (start.has(reader)) continue;
        if (!reached.has(reader)) {
          reached.set(reader, new Set());
          queue.push(reader);
        }
        reached.get(reader)!.add(producer);
      }
    }
    return new Map([...reached].sort(([a], [b]) => compare(a, b)).map(([reader, via]) => [reader, [...via].sort()]));
  }

  /**
   * `stacks` in waves: each stack comes after every stack of `stacks` it reads (transitively), so a
   * wave can be planned or applied once the waves before it are done. A cycle is an error.
   */
  waves(stacks: readonly string[]): string[][] {
    const members = new Set(stacks);
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const depthOf = (stack: string): number => {
      const known = depth.get(stack);
      if (known !== undefined) return known;
      if (visiting.has(stack)) throw new Error(`stacks read each other's state in a cycle through ${stack}: ${[...visiting].join(' -> ')}`);
      visiting.add(stack);
      const producers = this.producersOf(stack).filter((producer) => members.has(producer));
      const result = producers.length === 0 ? 0 : 1 + Math.max(...producers.map(depthOf));
      visiting.delete(stack);
      depth.set(stack, result);
      return result;
    };
    const waves: string[][] = [];
    for (const stack of stacks) (waves[depthOf(stack)] ??= []).push(stack);
    return waves.filter(Boolean);
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
