/**
 * What the plan CLIs (affected, plan, compare-plans, check-protected) share: one error class for
 * problems the user can fix, printed as one line without a stack trace, and a runner that turns
 * them into exit code 1.
 */
import { CommanderError } from 'commander';
import { PlanCommentError } from './errors';

/** An input problem the user can fix: printed as one line, exit code 1. */
export class PlanToolError extends Error {
  override readonly name = 'PlanToolError';
}

/** Where a CLI writes; tests pass their own. */
export interface ToolIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const PROCESS_IO: ToolIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs a CLI body: its result is the exit code; a PlanToolError or PlanCommentError becomes
 * `<name>: <message>` on stderr and exit code 1; commander already printed its own errors.
 */
export async function runTool(name: string, io: ToolIo, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof PlanToolError || error instanceof PlanCommentError) {
      io.stderr(`${name}: ${error.message}\n`);
      return 1;
    }
    io.stderr(`${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** The last lines of a command's output, for a failure message. */
export function lastLines(text: string, count = 15): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

/** The line of a failed command's output that says why: its first `...Error: ...` line, else its last line. */
export function failureLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^[A-Za-z]*Error\b.*:/.test(line)) ?? lines[lines.length - 1] ?? '(no output)';
}
