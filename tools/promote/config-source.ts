/**
 * Edits an environment's config.ts in place with the TypeScript compiler API: finds the exact
 * string, number or boolean literal of a setting and splices only its text, so comments,
 * formatting and quoting of everything else stay byte for byte. A key the file lacks is added as
 * one property line with the indentation of its siblings.
 */
import * as ts from 'typescript';
import { errors } from './errors';
import { formatPath, LIST_KEY, type Path } from './paths';
import type { PinValue } from './pins';

export interface LiteralEdit {
  readonly path: Path;
  readonly value: PinValue;
}

/** One text change: replace `[start, end)` by `text` (an insertion when start === end). */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface EditResult {
  readonly text: string;
  readonly splices: readonly Splice[];
}

type Located =
  | { readonly kind: 'literal'; readonly node: ts.Expression; readonly value: PinValue }
  | { readonly kind: 'missing'; readonly object: ts.ObjectLiteralExpression; readonly depth: number };

const DEFAULT_INDENT_UNIT = '  ';
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The value written at `path` in a config file's text, or undefined when the file does not set it as a literal. */
export function readLiteral(env: string, text: string, path: Path): PinValue | undefined {
  const source = parse(text);
  const located = locate(env, source, configObject(env, source), path);
  return located.kind === 'literal' ? located.value : undefined;
}

/** Applies every edit to the config file text; throws PromoteError (nothing changed) when one cannot be made. */
export function applyEdits(env: string, text: string, edits: readonly LiteralEdit[]): EditResult {
  const source = parse(text);
  const root = configObject(env, source);
  const quote = preferredQuote(source);
  const splices: Splice[] = [];
  const inserts = new Map<ts.ObjectLiteralExpression, { key: string; tree: Tree }[]>();

  for (const edit of edits) {
    const located = locate(env, source, root, edit.path);
    if (located.kind === 'literal') {
      splices.push({ start: located.node.getStart(source), end: located.node.end, text: literal(edit.value, quoteOf(located.node, source) ?? quote) });
      continue;
    }
    const pending = inserts.get(located.object) ?? [];
    inserts.set(located.object, pending);
    const [key, ...rest] = edit.path.slice(located.depth);
    let entry = pending.find((candidate) => candidate.key === key);
    if (!entry) {
      entry = { key, tree: rest.length === 0 ? edit.value : new Map() };
      pending.push(entry);
    }
    if (rest.length > 0) setIn(entry.tree as TreeNode, rest, edit.value);
  }
  for (const [object, entries] of inserts) splices.push(...insertProperties(source, object, entries, quote));

  const edited = splice(text, splices);
  verify(env, edited, edits);
  return { text: edited, splices };
}

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('config.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** The object literal the file exports as default (`const config = {...}; export default config;`). */
function configObject(env: string, source: ts.SourceFile): ts.ObjectLiteralExpression {
  const variables = new Map<string, ts.Expression>();
  let exported: ts.Expression | undefined;
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) variables.set(declaration.name.text, unwrap(declaration.initializer));
      }
    }
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) exported = unwrap(statement.expression);
  }
  if (exported && ts.isIdentifier(exported)) exported = variables.get(exported.text);
  exported ??= variables.get('config');
  if (!exported || !ts.isObjectLiteralExpression(exported)) throw errors.noConfigObject(env);
  return exported;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** The element of a list literal named `key` (its `name` property), or at index `key`. */
function listElement(list: ts.ArrayLiteralExpression, key: string): ts.Expression | undefined {
  const elements = list.elements.map(unwrap);
  const named = elements.find((element) => {
    if (!ts.isObjectLiteralExpression(element)) return false;
    const property = element.properties.find((candidate) => candidate.name && propertyName(candidate.name) === LIST_KEY);
    return property !== undefined && ts.isPropertyAssignment(property) && literalValueOf(unwrap(property.initializer)) === key;
  });
  if (named) return named;
  return /^\d+$/.test(key) ? elements[Number(key)] : undefined;
}

function locate(env: string, source: ts.SourceFile, root: ts.ObjectLiteralExpression, path: Path): Located {
  let object = root;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth];
    const field = formatPath(path.slice(0, depth + 1));
    // Later properties win in JavaScript, so the last one with the name is the one that counts.
    const property = [...object.properties].reverse().find((candidate) => candidate.name && propertyName(candidate.name) === key);
    if (!property) {
      if (object.properties.some(ts.isSpreadAssignment)) throw errors.cannotInsert(env, formatPath(path), `${formatPath(path.slice(0, depth)) || 'the config'} spreads another object`);
      return { kind: 'missing', object, depth };
    }
    if (!ts.isPropertyAssignment(property)) throw errors.notALiteral(env, field, describe(property, source));
    let value = unwrap(property.initializer);
    // A list is entered by the name of an element: `services.list.api` is the element with `name: 'api'`.
    while (ts.isArrayLiteralExpression(value) && depth < path.length - 1) {
      const element = listElement(value, path[depth + 1]);
      if (!element) throw errors.cannotInsert(env, formatPath(path), `${field} has no element named "${path[depth + 1]}"`);
      depth++;
      value = element;
    }
    if (depth === path.length - 1) {
      const literalValue = literalValueOf(value);
      if (literalValue === undefined) throw errors.notALiteral(env, field, describe(value, source));
      return { kind: 'literal', node: value, value: literalValue };
    }
    if (!ts.isObjectLiteralExpression(value)) throw errors.notALiteral(env, field, describe(value, source));
    object = value;
  }
  throw errors.cannotInsert(env, formatPath(path), 'the path is empty');
}

function literalValueOf(node: ts.Expression): PinValue | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  return undefined;
}

function describe(node: ts.Node, source: ts.SourceFile): string {
  const text = node.getText(source).replace(/\s+/g, ' ');
  return `\`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\``;
}

function quoteOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  if (!ts.isStringLiteral(node) && !ts.isNoSubstitutionTemplateLiteral(node)) return undefined;
  return source.text[node.getStart(source)];
}

/** The quote most string literals of the file use. */
function preferredQuote(source: ts.SourceFile): string {
  let single = 0;
  let double = 0;
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node)) {
      if (source.text[node.getStart(source)] === '"') double++;
      else single++;
    }
    node.forEachChild(visit);
  };
  visit(source);
  return double > single ? '"' : "'";
}

export function literal(value: PinValue, quote = "'"): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a literal`);
    return String(value);
  }
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .split(quote)
    .join(`\\${quote}`);
  return `${quote}${quote === '`' ? escaped.replace(/\$\{/g, '\\${') : escaped}${quote}`;
}

function key(name: string, quote: string): string {
  return IDENTIFIER.test(name) ? name : literal(name, quote === '`' ? "'" : quote);
}

type TreeNode = Map<string, Tree>;
type Tree = PinValue | TreeNode;

function setIn(tree: TreeNode, path: Path, value: PinValue): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    tree.set(head, value);
    return;
  }
  let child = tree.get(head);
  if (!(child instanceof Map)) {
    child = new Map();
    tree.set(head, child);
  }
  setIn(child, rest, value);
}

function render(tree: Tree, quote: string, layout: { multiline: boolean; indent: string; unit: string }): string {
  if (!(tree instanceof Map)) return literal(tree, quote);
  const entries = [...tree.entries()];
  if (!layout.multiline) return `{ ${entries.map(([name, child]) => `${key(name, quote)}: ${render(child, quote, layout)}`).join(', ')} }`;
  const inner = layout.indent + layout.unit;
  const lines = entries.map(([name, child]) => `${inner}${key(name, quote)}: ${render(child, quote, { ...layout, indent: inner })},\n`);
  return `{\n${lines.join('')}${layout.indent}}`;
}

function lineStart(text: string, position: number): number {
  return text.lastIndexOf('\n', position - 1) + 1;
}

function indentationAt(text: string, position: number): string {
  const start = lineStart(text, position);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Only whitespace between the start of the line and `position`. */
function firstOnLine(text: string, position: number): boolean {
  return text.slice(lineStart(text, position), position).trim() === '';
}

function insertProperties(source: ts.SourceFile, object: ts.ObjectLiteralExpression, entries: { key: string; tree: Tree }[], quote: string): Splice[] {
  const text = source.text;
  const open = object.getStart(source);
  const close = object.end - 1;
  const properties = object.properties;
  const multiline = text.slice(open, close).includes('\n');
  const closeIndent = indentationAt(text, close);

  if (multiline && firstOnLine(text, close)) {
    const first = properties[0];
    const indent = first && firstOnLine(text, first.getStart(source)) ? indentationAt(text, first.getStart(source)) : closeIndent + DEFAULT_INDENT_UNIT;
    const unit = indent.length > closeIndent.length && indent.startsWith(closeIndent) ? indent.slice(closeIndent.length) : DEFAULT_INDENT_UNIT;
    const comma = properties.length === 0 || properties.hasTrailingComma ? ',' : '';
    const lines = entries.map(({ key: name, tree }) => `${indent}${key(name, quote)}: ${render(tree, quote, { multiline: true, indent, unit })}${comma}\n`);
    const splices: Splice[] = [{ start: lineStart(text, close), end: lineStart(text, close), text: lines.join('') }];
    if (properties.length > 0 && !properties.hasTrailingComma) {
      const last = properties[properties.length - 1];
      splices.push({ start: last.end, end: last.end, text: ',' });
    }
    return splices;
  }
  const inline = entries.map(({ key: name, tree }) => `${key(name, quote)}: ${render(tree, quote, { multiline: false, indent: '', unit: '' })}`).join(', ');
  if (properties.length === 0) return [{ start: open + 1, end: close, text: ` ${inline} ` }];
  const last = properties[properties.length - 1];
  return [{ start: last.end, end: last.end, text: `, ${inline}` }];
}

function splice(text: string, splices: readonly Splice[]): string {
  const ordered = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const { start, end, text: replacement } of ordered) result = result.slice(0, start) + replacement + result.slice(end);
  return result;
}

function verify(env: string, edited: string, edits: readonly LiteralEdit[]): void {
  const source = parse(edited);
  const diagnostics = (source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length > 0) throw errors.editCheckFailed(env, ts.flattenDiagnosticMessageText(diagnostics[0].messageText, ' '));
  for (const edit of edits) {
    const value = readLiteral(env, edited, edit.path);
    if (value !== edit.value) throw errors.editCheckFailed(env, `${formatPath(edit.path)} reads ${JSON.stringify(value)}, expected ${JSON.stringify(edit.value)}`);
  }
}
