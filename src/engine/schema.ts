// A small interpreter of the JSON Schema subset that pack-schema.ts uses. Hand-written instead of a
// schema compiler because compilers generate code with `new Function`, which an MV3 extension may not run,
// and because pack authors need errors that name the exact field.

type Schema = Record<string, unknown>;
export type Path = (string | number)[];
export interface SchemaError {
  path: Path;
  message: string;
}

export function validateSchema(value: unknown, schema: Schema, root: Schema = schema): SchemaError[] {
  const errors: SchemaError[] = [];
  check(value, schema, root, [], errors);
  return errors;
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/definitions/', '');
  const target = (root.definitions as Record<string, Schema>)[name];
  if (!target) throw new Error(`schema: unknown $ref ${ref}`);
  return target;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字列', number: '数値', integer: '整数', boolean: 'true/false', object: 'オブジェクト', array: '配列', null: 'null',
};

function check(value: unknown, raw: Schema, root: Schema, path: Path, errors: SchemaError[]): void {
  const schema = resolve(raw, root);
  if ('const' in schema && value !== schema.const) {
    errors.push({ path, message: `値は ${JSON.stringify(schema.const)} でなければなりません` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) {
    errors.push({ path, message: `値は ${schema.enum.map((v) => JSON.stringify(v)).join(' / ')} のいずれかです（${JSON.stringify(value)} は不可）` });
    return;
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as Schema[];
    const results = branches.map((b) => validateSchema(value, b, root));
    if (results.some((r) => r.length === 0)) return;
    // Report the branch whose type fits, so the message is about the field, not about the alternatives.
    const fitting = results.find((r, i) => typeFits(value, resolve(branches[i]!, root)));
    if (fitting) for (const e of fitting) errors.push({ path: [...path, ...e.path], message: e.message });
    else errors.push({ path, message: `型が違います（${branches.map((b) => describeType(resolve(b, root))).join(' または ')} が必要）` });
    return;
  }
  const discriminator = schema.discriminator as { propertyName: string } | undefined;
  if (discriminator && Array.isArray(schema.oneOf)) {
    if (typeOf(value) !== 'object') {
      errors.push({ path, message: 'オブジェクトが必要です' });
      return;
    }
    const tag = (value as Record<string, unknown>)[discriminator.propertyName];
    const branch = (schema.oneOf as Schema[]).map((b) => resolve(b, root)).find((b) => {
      const prop = (b.properties as Record<string, Schema>)[discriminator.propertyName];
      return prop?.const === tag;
    });
    if (!branch) {
      const allowed = (schema.oneOf as Schema[]).map(
        (b) => ((resolve(b, root).properties as Record<string, Schema>)[discriminator.propertyName]!).const,
      );
      errors.push({ path: [...path, discriminator.propertyName],
        message: `${discriminator.propertyName} は ${allowed.join(' / ')} のいずれかです（${JSON.stringify(tag)} は不可）` });
      return;
    }
    check(value, branch, root, path, errors);
    return;
  }
  if (schema.type !== undefined && !typeFits(value, schema)) {
    errors.push({ path, message: `${describeType(schema)}が必要です（${TYPE_NAMES[typeOf(value)] ?? typeOf(value)} が書かれています）` });
    return;
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push({ path, message: '空にできません' });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ path, message: `形式が違います（${schema.pattern}）: ${JSON.stringify(value)}` });
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push({ path, message: `${schema.minimum} 以上にしてください` });
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push({ path, message: `${schema.maximum} 以下にしてください` });
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      errors.push({ path, message: `少なくとも ${schema.minItems} 個必要です` });
    }
    if (schema.items) value.forEach((item, i) => check(item, schema.items as Schema, root, [...path, i], errors));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!Object.hasOwn(obj, key)) errors.push({ path: [...path, key], message: `必須のフィールド「${key}」がありません` });
    }
    for (const [key, v] of Object.entries(obj)) {
      // Names such as __proto__, constructor or toString would reach Object.prototype through `props[key]` or later
      // lookups: refused by name, whatever the schema allows.
      if (key === 'prototype' || key in Object.prototype) {
        errors.push({ path: [...path, key], message: `フィールド名「${key}」は使えません（JavaScript の予約名です）` });
      } else if (Object.hasOwn(props, key)) check(v, props[key]!, root, [...path, key], errors);
      else if (schema.additionalProperties === false) {
        errors.push({ path: [...path, key], message: `未知のフィールド「${key}」です（綴りを確認してください）` });
      }
    }
  }
}

function typeFits(value: unknown, schema: Schema): boolean {
  const t = schema.type;
  if (t === undefined) return true;
  const actual = typeOf(value);
  const wanted = Array.isArray(t) ? (t as string[]) : [t as string];
  return wanted.some((w) => w === actual || (w === 'number' && actual === 'integer'));
}

function describeType(schema: Schema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  const t = schema.type;
  const list = Array.isArray(t) ? (t as string[]) : t ? [t as string] : ['値'];
  return list.map((x) => TYPE_NAMES[x] ?? x).join('または');
}

/** `rules[3].pattern[0].surface` */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(root)';
}
