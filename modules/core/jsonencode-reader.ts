/**
 * Reads the JSON-like values cdktf writes into a Terraform expression: a policy written with
 * `Fn.jsonencode({...})` is synthesized as `${jsonencode({"Statement" = [...]})}`. Literals
 * become JSON values; anything else (a reference, a function call) becomes the string
 * `${<expression>}`, the way a reference inside `JSON.stringify` reads.
 */

/** The value of a `${jsonencode(<literal>)}` string, or undefined if it is anything else. */
export function parseJsonencode(text: string): unknown {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(text.trim());
  if (!match) return undefined;
  try {
    const parser = new Parser(match[1]);
    const value = parser.value();
    parser.end();
    return value;
  } catch {
    return undefined;
  }
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.space();
    const char = this.text[this.at];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    return this.bare();
  }

  end(): void {
    this.space();
    if (this.at !== this.text.length) throw new Error(`unexpected ${this.text.slice(this.at, this.at + 10)}`);
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') {
        this.at++;
        return result;
      }
      const key = this.text[this.at] === '"' ? this.string() : this.identifier();
      this.space();
      const separator = this.text[this.at];
      if (separator !== '=' && separator !== ':') throw new Error(`expected = after ${key}`);
      this.at++;
      result[key] = this.value();
      this.separator('}');
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.at++;
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') {
        this.at++;
        return result;
      }
      result.push(this.value());
      this.separator(']');
    }
  }

  private separator(close: string): void {
    this.space();
    if (this.text[this.at] === ',') this.at++;
    else if (this.text[this.at] !== close) throw new Error(`expected , or ${close}`);
  }

  /** A quoted string; escapes decoded, `${...}` interpolations kept verbatim. */
  private string(): string {
    let result = '';
    this.at++;
    while (this.at < this.text.length) {
      const char = this.text[this.at];
      if (char === '"') {
        this.at++;
        return result;
      }
      if (char === '\\') {
        const next = this.text[this.at + 1];
        const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (next === 'u') {
          result += String.fromCharCode(parseInt(this.text.slice(this.at + 2, this.at + 6), 16));
          this.at += 6;
        } else {
          result += escapes[next] ?? next;
          this.at += 2;
        }
        continue;
      }
      if (char === '$' && this.text[this.at + 1] === '{') {
        const start = this.at;
        this.at += 2;
        this.skipBalanced('}');
        result += this.text.slice(start, this.at);
        continue;
      }
      result += char;
      this.at++;
    }
    throw new Error('unterminated string');
  }

  /** Skips to just after the `close` that balances the opening already consumed. */
  private skipBalanced(close: string): void {
    const stack = [close];
    while (this.at < this.text.length && stack.length > 0) {
      const char = this.text[this.at];
      if (char === '"') {
        this.string();
        continue;
      }
      if (char === stack[stack.length - 1]) stack.pop();
      else if (char === '{') stack.push('}');
      else if (char === '(') stack.push(')');
      else if (char === '[') stack.push(']');
      this.at++;
    }
    if (stack.length > 0) throw new Error('unbalanced expression');
  }

  private identifier(): string {
    const match = /^[A-Za-z_][\w-]*/.exec(this.text.slice(this.at));
    if (!match) throw new Error('expected a key');
    this.at += match[0].length;
    return match[0];
  }

  /** A number, true/false/null, or an expression up to the next top-level `,`, `}` or `]`. */
  private bare(): unknown {
    const start = this.at;
    while (this.at < this.text.length) {
      const char = this.text[this.at];
      if (char === ',' || char === '}' || char === ']') break;
      if (char === '"') {
        this.string();
        continue;
      }
      this.at++;
      if (char === '(') this.skipBalanced(')');
      else if (char === '[') this.skipBalanced(']');
      else if (char === '{') this.skipBalanced('}');
    }
    const raw = this.text.slice(start, this.at).trim();
    if (raw === '') throw new Error('expected a value');
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    if (raw === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
    return `\${${raw}}`;
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }
}
