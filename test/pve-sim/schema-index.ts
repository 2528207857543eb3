import { readFileSync } from 'node:fs';

// The official PVE API schema (apidata.json, read at run time, never copied), indexed so a
// concrete request path finds its endpoint definition.

/** One property of a parameter schema, or one key of a property-string format. */
export interface SchemaProperty {
  type?: string;
  optional?: number | boolean;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string | Record<string, SchemaProperty>;
  items?: SchemaProperty;
  default_key?: number | boolean;
  alias?: string;
  keyAlias?: string;
  requires?: string;
  description?: string;
}

/** The parameter schema of one endpoint method. */
export interface SchemaParameters {
  additionalProperties?: number | boolean;
  properties?: Record<string, SchemaProperty>;
}

/** One method of one endpoint. */
export interface SchemaMethod {
  method: string;
  parameters?: SchemaParameters;
  permissions?: unknown;
}

/** A concrete request matched to its endpoint. */
export interface EndpointMatch {
  /** The endpoint's path template, e.g. `/nodes/{node}/qemu/{vmid}/resize`. */
  template: string;
  method: SchemaMethod;
  pathParams: Record<string, string>;
}

/** The loaded schema. */
export interface ApiSchema {
  /** The endpoint for a method and decoded path segments, or null when PVE has none. */
  find(method: string, segments: string[]): EndpointMatch | null;
  /** Every endpoint method, for checks that walk the whole schema. */
  all(): EndpointMatch[];
}

interface RawNode {
  path?: string;
  info?: Record<string, SchemaMethod>;
  children?: RawNode[];
}

interface TreeNode {
  template: string;
  literal: Map<string, TreeNode>;
  param: { name: string; node: TreeNode } | null;
  methods: Record<string, SchemaMethod>;
}

function emptyNode(template: string): TreeNode {
  return { template, literal: new Map(), param: null, methods: {} };
}

function insert(root: TreeNode, raw: RawNode): void {
  if (typeof raw.path === 'string') {
    let node = root;
    for (const segment of raw.path.split('/').filter((s) => s !== '')) {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      const template = `${node.template === '/' ? '' : node.template}/${segment}`;
      if (param !== undefined) {
        node.param ??= { name: param, node: emptyNode(template) };
        node = node.param.node;
      } else {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = emptyNode(template)));
        node = next;
      }
    }
    Object.assign(node.methods, raw.info ?? {});
  }
  for (const child of raw.children ?? []) insert(root, child);
}

function match(
  node: TreeNode,
  segments: string[],
  params: Record<string, string>,
): TreeNode | null {
  const [head, ...rest] = segments;
  if (head === undefined) return node;
  const literal = node.literal.get(head);
  const viaLiteral = literal ? match(literal, rest, params) : null;
  if (viaLiteral) return viaLiteral;
  if (!node.param) return null;
  const found = match(node.param.node, rest, params);
  if (found) params[node.param.name] = head;
  return found;
}

function collect(node: TreeNode, out: EndpointMatch[]): void {
  for (const method of Object.values(node.methods))
    out.push({ template: node.template, method, pathParams: {} });
  for (const child of node.literal.values()) collect(child, out);
  if (node.param) collect(node.param.node, out);
}

const cache = new Map<string, ApiSchema>();

/** Loads and indexes apidata.json (once per file per process). */
export function loadApiSchema(file: string): ApiSchema {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`${file} is not a PVE API schema (expected an array)`);
  const root = emptyNode('/');
  for (const entry of raw as RawNode[]) insert(root, entry);
  const schema: ApiSchema = {
    find(method, segments) {
      const pathParams: Record<string, string> = {};
      const node = match(root, segments, pathParams);
      const info = node?.methods[method];
      return node && info ? { template: node.template, method: info, pathParams } : null;
    },
    all() {
      const out: EndpointMatch[] = [];
      collect(root, out);
      return out;
    },
  };
  cache.set(file, schema);
  return schema;
}
