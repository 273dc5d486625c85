/**
 * `npm run workflows`: writes `.github/workflows/apply.yml` from the environments (apply-workflow.ts).
 * `npm run workflows -- --check`: exit 1 when the checked-in file differs from what would be written.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadPlatform } from '../../environments/load';
import { PlanToolError, PROCESS_IO, runTool, type ToolIo } from '../plan/cli-support';
import { environmentOrder } from '../plan/stack-catalog';
import { APPLY_WORKFLOW_FILE, renderApplyWorkflow } from './apply-workflow';

const PROJECT_ROOT = path.join(__dirname, '..', '..');

export interface WorkflowsOptions {
  /** Project root holding `.github/workflows`. @default the root of this checkout */
  readonly root?: string;
  /** Directory of the environments. @default `<root>/environments` */
  readonly environmentsDir?: string;
}

/** The generated files: path relative to the root -> text. */
export function generatedWorkflows(options: WorkflowsOptions = {}): Map<string, string> {
  const root = options.root ?? PROJECT_ROOT;
  const platform = loadPlatform(options.environmentsDir ?? path.join(root, 'environments'));
  return new Map([[APPLY_WORKFLOW_FILE, renderApplyWorkflow(environmentOrder(platform))]]);
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO, options: WorkflowsOptions = {}): Promise<number> {
  return runTool('workflows', io, () => {
    const cli = new Command('workflows')
      .description('Write the workflows generated from environments/ (apply.yml)')
      .option('--check', 'write nothing; exit 1 when a checked-in workflow is out of date', false)
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ check: boolean }>();
    const root = options.root ?? PROJECT_ROOT;
    const stale: string[] = [];
    for (const [file, text] of generatedWorkflows(options)) {
      const target = path.join(root, file);
      const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
      if (current === text) continue;
      if (cli.check) stale.push(file);
      else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
        io.stdout(`wrote ${file}\n`);
      }
    }
    if (stale.length > 0) {
      throw new PlanToolError(`${stale.join(', ')} is out of date with environments/; run \`npm run workflows\` and commit the result`);
    }
    if (cli.check) io.stdout('workflows are up to date with environments/\n');
    return 0;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
