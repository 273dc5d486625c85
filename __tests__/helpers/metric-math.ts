/**
 * A small evaluator of CloudWatch metric math for one period, enough to check what an alarm
 * expression returns when metrics have no datapoint (`undefined`): FILL, IF, + - * /,
 * comparisons, numbers and metric ids. Arithmetic on a missing value is missing; division by
 * zero is missing (CloudWatch drops such points).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
type Value = number | undefined;

export function evaluateMetricMath(expression: string, values: Readonly<Record<string, Value>>): Value {
  const tokens = expression.match(/\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[-+*/(),<>])/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('') !== expression.replace(/\s+/g, '')) throw new Error(`metric math: cannot read "${expression}"`);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected) throw new Error(`metric math: expected ${expected} at token ${at} of "${expression}", got ${token}`);
    return token;
  };
  const arith = (a: Value, b: Value, op: string): Value => {
    if (a === undefined || b === undefined) return undefined;
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return b === 0 ? undefined : a / b;
      case '>': return a > b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '==': return a === b ? 1 : 0;
      default: return a !== b ? 1 : 0;
    }
  };
  /** One precedence level: `next` operands joined by `ops`, left to right. */
  const level = (next: () => Value, ops: readonly string[]) => (): Value => {
    let left = next();
    while (ops.includes(peek())) {
      const op = take();
      left = arith(left, next(), op);
    }
    return left;
  };
  const product = level(() => atom(), ['*', '/']);
  const sum = level(product, ['+', '-']);
  const comparison = level(sum, ['>', '<', '>=', '<=', '==', '!=']);
  const atom = (): Value => {
    const token = take();
    if (token === '(') {
      const inner = comparison();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === 'FILL' || token === 'IF') {
      take('(');
      const args: Value[] = [comparison()];
      while (peek() === ',') {
        take(',');
        args.push(comparison());
      }
      take(')');
      if (token === 'FILL') return args[0] ?? args[1];
      if (args[0] === undefined) return undefined;
      return args[0] !== 0 ? args[1] : args[2];
    }
    if (!(token in values)) throw new Error(`metric math: unknown id ${token} in "${expression}"`);
    return values[token];
  };
  const result = comparison();
  if (at !== tokens.length) throw new Error(`metric math: unread tokens in "${expression}"`);
  return result;
}
