/**
 * The cpu/memory pairs Fargate accepts (Linux), from the ECS task size table:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
interface MemoryRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

const SIZES: Readonly<Record<number, readonly number[] | MemoryRange>> = {
  256: [512, 1024, 2048],
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** CPU units Fargate accepts. */
export const FARGATE_CPU_UNITS: readonly number[] = Object.keys(SIZES).map(Number);

/** Why `cpu` is not a Fargate size, or undefined when it is. */
export function fargateCpuProblem(cpu: number): string | undefined {
  return SIZES[cpu] ? undefined : `is not a Fargate cpu size; allowed: ${FARGATE_CPU_UNITS.join(', ')}`;
}

/** Why `memory` (MiB) does not go with `cpu` on Fargate, or undefined when it does (or cpu is itself invalid). */
export function fargateMemoryProblem(cpu: number, memory: number): string | undefined {
  const sizes = SIZES[cpu];
  if (!sizes) return undefined;
  const allowed = Array.isArray(sizes)
    ? (sizes as readonly number[]).includes(memory)
    : memory >= (sizes as MemoryRange).min && memory <= (sizes as MemoryRange).max && (memory - (sizes as MemoryRange).min) % (sizes as MemoryRange).step === 0;
  return allowed ? undefined : `is not a Fargate memory size for cpu ${cpu}; allowed: ${describe(sizes)} (MiB)`;
}

function describe(sizes: readonly number[] | MemoryRange): string {
  if (Array.isArray(sizes)) return (sizes as readonly number[]).join(', ');
  const range = sizes as MemoryRange;
  return `${range.min}-${range.max} in steps of ${range.step}`;
}
