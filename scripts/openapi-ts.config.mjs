import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createClient } from '@hey-api/openapi-ts';
import { parse } from 'yaml';

/**
 * The generator configurations. `npm run generate` writes each target's output; `npm run
 * check:generated` writes the same thing elsewhere and compares.
 */
function heyApi(input, output, parser) {
  return {
    input,
    output: { path: output, clean: true, module: { extension: '.js' } },
    logs: { level: 'silent' },
    ...(parser && { parser }),
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', 'zod'],
  };
}

// hey-api reads a bare relative path as a hosted project's name.
const specFile = (specDir, name) => (isAbsolute(specDir) ? join(specDir, name) : `./${join(specDir, name)}`);

/** The Sessions API client: the SDK's generated layer. */
export function generatorConfig(output, specDir = 'openapi') {
  return heyApi(specFile(specDir, 'sessions.yaml'), output);
}

/** The control API client and schemas, used by `fold-sessions-mock/control` and the control handler. */
export function controlGeneratorConfig(output, specDir = 'openapi') {
  // Seed takes whole stored sessions, the Sessions API's read-only fields (ids, times, status)
  // included, so the control API's requests use the Sessions API's schemas as they are, not
  // hey-api's `…Writable` copies without those fields.
  return heyApi(specFile(specDir, 'control.yaml'), output, { transforms: { readWrite: false } });
}

export const generatedFolders = {
  sessions: 'sdk/src/generated',
  control: 'mock-server/src/spec/control',
};

/** The route table of the Sessions API, read from the spec by scripts/api-table.mjs. */
export const apiTableFile = 'mock-server/src/spec/spec.gen.ts';

/** The operation ids alone, for code that must not load the schemas (the inspector). */
export const operationIdsFile = 'mock-server/src/spec/operation-ids.gen.ts';

/**
 * The SDK's post-generation step: it takes out of hey-api 0.99's fetch client the general code
 * that no call of the Sessions API can reach, which no option turns off and no bundler can drop.
 * Each edit must find its text (a new hey-api fails here loudly), and the edits that rely on a
 * fact of the spec check that fact first (a spec that needs the code fails here too).
 *
 * - Server-sent events: the client builds an `sse` method per HTTP verb into every client object,
 *   and with them its whole event-stream reader (about 0.8 KB min + gzip). They go, with the
 *   reader's file and its options, out of the client and its types (`Client` then says `sse?: never`).
 * - Array and object parameters, label and matrix paths: every path and query parameter of the
 *   spec is a string, number or boolean with the default style, and every path template a plain
 *   `{name}`, so the query serializer keeps only its primitive branch (`serializePrimitiveParam`
 *   still throws on an array or object) and the path serializer only its `encodeURIComponent`;
 *   the array and object serializers (about 0.5 KB) are then unused.
 * - Query, cookie and basic auth: the spec's security schemes are bearer tokens, sent as a header
 *   (what is left of `checkForExistence`, a look in the headers, is written where it is asked).
 * - Reading a success body as form data, a blob or text (`parseAs` keeps `auto`, `json` and
 *   `stream`): every success response of the spec is JSON. With those three, the branch for an
 *   empty body (204 or `Content-Length: 0`) gives what the readings after it give: `{}` for JSON,
 *   `response.body` for a stream.
 * - `getValidRequestBody`, written for clients with or without a serialized body: the fetch client
 *   always has one, and the expression that replaces it keeps that branch.
 * - The request validator, response validator and response transformer hooks: no plugin of this
 *   configuration sets them (`fold-sessions/validation` checks bodies its own way).
 * - The request and response interceptor lists, and the other lists' `clear`, `eject`, `exists`
 *   and `update`: the SDK only adds an error interceptor, with `use`.
 * - A method per HTTP verb the spec has no operation for (`connect`, `head`, ...), out of the
 *   client and its `HttpMethod` type.
 */
export function trimClient(output, spec) {
  const edit = (file, edits) => {
    const path = join(output, file);
    let text = readFileSync(path, 'utf8');
    for (const [pattern, replacement] of edits) {
      if (!pattern.test(text)) throw new Error(`trimClient: ${file} no longer matches ${pattern}; update scripts/openapi-ts.config.mjs`);
      text = text.replace(pattern, replacement);
    }
    writeFileSync(path, text);
  };
  const unneeded = whatTheSpecNeeds(spec);
  if (unneeded.length) throw new Error(`trimClient: ${unneeded.join('; ')}; update scripts/openapi-ts.config.mjs`);

  const keepPrimitiveBranch = (_match, _indent, body) => `\n${body.replace(/^ {2}/gm, '')}\n`;
  edit('client/client.gen.ts', [
    [/^import \{ createSseClient \} from '\.\.\/core\/serverSentEvents\.gen\.js';\n/m, ''],
    [/\n {2}const makeSseFn = [\s\S]*?\n {2}\};\n/, ''],
    [/\n {4}sse: \{[^}]*\},/, ''],
  ]);
  edit('client/types.gen.ts', [
    [/^import type \{\n {2}ServerSentEventsOptions,\n {2}ServerSentEventsResult,\n\} from '\.\.\/core\/serverSentEvents\.gen\.js';\n/m, ''],
    [/,\n {4}Pick<\n {6}ServerSentEventsOptions<TData>,\n(?: {6}\| '\w+'\n)+ {4}> \{/, ' {'],
    [/\ntype SseFn = <[\s\S]*?=> Promise<ServerSentEventsResult<TData>>;\n/, ''],
    [/CoreClient<RequestFn, Config, MethodFn, BuildUrlFn, SseFn>/, 'CoreClient<RequestFn, Config, MethodFn, BuildUrlFn>'],
    [/parseAs\?: 'arrayBuffer' \| 'auto' \| 'blob' \| 'formData' \| 'json' \| 'stream' \| 'text';/, "parseAs?: 'auto' | 'json' | 'stream';"],
  ]);
  edit('client/client.gen.ts', [
    [/\n {4}if \(opts\.requestValidator\) \{\n {6}await opts\.requestValidator\(opts\);\n {4}\}\n/, ''],
    [/\n {12}case 'arrayBuffer':\n {12}case 'blob':\n {12}case 'text':\n {14}emptyData = await response\[parseAs\]\(\);\n {14}break;\n {12}case 'formData':\n {14}emptyData = new FormData\(\);\n {14}break;/, ''],
    [/\n {10}case 'arrayBuffer':\n {10}case 'blob':\n {10}case 'formData':\n {10}case 'text':\n {12}data = await response\[parseAs\]\(\);\n {12}break;/, ''],
    [/\n {8}if \(parseAs === 'json'\) \{\n {10}if \(opts\.responseValidator\) \{\n[\s\S]*?\n {8}\}\n/, ''],
  ]);
  edit('client/index.ts', [[/^export type \{ ServerSentEventsResult \} from '\.\.\/core\/serverSentEvents\.gen\.js';\n/m, '']]);
  rmSync(join(output, 'core/serverSentEvents.gen.ts'));
  edit('core/types.gen.ts', [[/\n {2}\/\*\*\n(?: {3}\*.*\n)+? {2}requestValidator\?: .*\n {2}\/\*\*\n(?: {3}\*.*\n)+? {2}responseTransformer\?: .*\n {2}\/\*\*\n(?: {3}\*.*\n)+? {2}responseValidator\?: .*\n/, '\n']]);
  const verbs = httpMethods.filter((verb) => Object.values(spec.paths ?? {}).some((item) => item[verb]));
  edit('core/types.gen.ts', [[/^export type HttpMethod =\n( {2}\| '[a-z]+'\n?)+;/m, `export type HttpMethod =\n${verbs.map((verb) => `  | '${verb}'`).join('\n')};`]]);
  edit(
    'client/client.gen.ts',
    httpMethods.filter((verb) => !verbs.includes(verb)).map((verb) => [new RegExp(`\\n {4}${verb}: makeMethodFn\\('${verb.toUpperCase()}'\\),`), '']),
  );
  edit('client/utils.gen.ts', [
    [/^import \{\n {2}serializeArrayParam,\n {2}serializeObjectParam,\n {2}serializePrimitiveParam,\n\} from/m, 'import { serializePrimitiveParam } from'],
    [/\n( {8})if \(Array\.isArray\(value\)\) \{\n[\s\S]*?\n\1\} else \{\n([\s\S]*?)\n\1\}\n/, keepPrimitiveBranch],
    [/\n {2}if \(cleanContent === 'multipart\/form-data'\) \{\n[\s\S]*?\n {2}if \(cleanContent\.startsWith\('text\/'\)\) \{\n {4}return 'text';\n {2}\}\n/, ''],
    [/ {2}if \(\n {4}options\.headers\.has\(name\) \|\|\n {4}options\.query\?\.\[name\] \|\|\n {4}options\.headers\.get\('Cookie'\)\?\.includes\(`\$\{name\}=`\)\n {2}\) \{/, '  if (options.headers.has(name)) {'],
    [/\n {4}switch \(auth\.in\) \{\n {6}case 'query':\n[\s\S]*?\n {6}case 'header':\n {6}default:\n {8}(options\.headers\.set\(name, token\);)\n {8}break;\n {4}\}\n/, '\n    $1\n'],
    [/\n {2}array: \{\n {4}explode: true,\n {4}style: 'form',\n {2}\},\n {2}object: \{\n {4}explode: true,\n {4}style: 'deepObject',\n {2}\},\n/, '\n'],
    [/\n {2}clear\(\): void \{\n[\s\S]*?\n(?= {2}use\(fn: Interceptor\): number \{)/, '\n'],
  ]);
  // The fetch client always has a `serializedBody` (undefined without a body), so of
  // `getValidRequestBody` only the branches of a client that has one are reachable.
  edit('client/client.gen.ts', [
    [/^import \{ getValidRequestBody \} from '\.\.\/core\/utils\.gen\.js';\n/m, ''],
    [/body: getValidRequestBody\(opts\),/, 'body: opts.body === undefined ? undefined : opts.bodySerializer ? opts.serializedBody || null : opts.body,'],
    [/\n {6}for \(const fn of interceptors\.request\.fns\) \{\n[\s\S]*?\n {6}\}\n/, ''],
    [/\n {6}for \(const fn of interceptors\.response\.fns\) \{\n[\s\S]*?\n {6}\}\n/, ''],
    [/\n {8}if \(response\.status === 204 \|\| response\.headers\.get\('Content-Length'\) === '0'\) \{\n[\s\S]*?\n {8}\}\n/, ''],
  ]);
  edit('core/utils.gen.ts', [
    [/^import type \{ BodySerializer, QuerySerializer \} from/m, 'import type { QuerySerializer } from'],
    [/\n\nexport function getValidRequestBody\([\s\S]*\n\}\n$/, '\n'],
  ]);
  edit('client/utils.gen.ts', [
    [/\nconst checkForExistence = \([\s\S]*?\n\};\n/, ''],
    [/if \(checkForExistence\(options, auth\.name\)\) \{/, 'if (auth.name && options.headers.has(auth.name)) {'],
    [/\ntype ReqInterceptor<[\s\S]*?\n\ntype ResInterceptor<[\s\S]*?\) => Res \| Promise<Res>;\n/, ''],
    [/\n {2}request: Interceptors<ReqInterceptor<Req, Options>>;\n {2}response: Interceptors<ResInterceptor<Res, Req, Options>>;/, ''],
    [/\n {2}request: new Interceptors<ReqInterceptor<Req, Options>>\(\),\n {2}response: new Interceptors<ResInterceptor<Res, Req, Options>>\(\),/, ''],
  ]);
  edit('core/auth.gen.ts', [[/\n {2}if \(auth\.scheme === 'basic'\) \{\n {4}return `Basic \$\{btoa\(token\)\}`;\n {2}\}\n/, '']]);
  edit('core/utils.gen.ts', [
    [/^import \{\n {2}type ArraySeparatorStyle,\n {2}serializeArrayParam,\n {2}serializeObjectParam,\n {2}serializePrimitiveParam,\n\} from '\.\/pathSerializer\.gen\.js';\n/m, ''],
    [/\n {6}let explode = false;\n {6}let name = (.*);\n {6}let style: ArraySeparatorStyle = 'simple';\n\n {6}if \(name\.endsWith\('\*'\)\) \{\n[\s\S]*?\n {6}\}\n\n {6}if \(name\.startsWith\('\.'\)\) \{\n[\s\S]*?\n {6}\}\n/, '\n      const name = $1;\n'],
    [/\n {6}if \(Array\.isArray\(value\)\) \{\n[\s\S]*?\n {6}\}\n\n {6}if \(typeof value === 'object'\) \{\n[\s\S]*?\n {6}\}\n\n {6}if \(style === 'matrix'\) \{\n[\s\S]*?\n {6}\}\n/, ''],
    [/encodeURIComponent\(\n {8}style === 'label' \? `\.\$\{value as string\}` : \(value as string\),\n {6}\)/, 'encodeURIComponent(value as string)'],
  ]);
}

const httpMethods = ['connect', 'delete', 'get', 'head', 'options', 'patch', 'post', 'put', 'trace'];

/** What of the trimmed code the spec would need: parameters that are not primitives, auth other than a header, bodies other than JSON. */
function whatTheSpecNeeds(spec) {
  const resolve = (node) => {
    let value = node;
    while (value?.$ref) value = value.$ref.slice(2).split('/').reduce((at, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
    return value;
  };
  const needs = [];
  for (const [route, item] of Object.entries(spec.paths ?? {})) {
    if (/\{(?!\w+\})/.test(route)) needs.push(`${route} has a path template that is not a plain {name}`);
    const operations = Object.values(item).filter((operation) => typeof operation === 'object' && !Array.isArray(operation));
    for (const parameter of [...(item.parameters ?? []), ...operations.flatMap((operation) => operation.parameters ?? [])].map(resolve)) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      const schema = resolve(parameter.schema);
      const types = [schema?.type ?? [], ...(schema?.oneOf ?? schema?.anyOf ?? []).map((branch) => resolve(branch)?.type ?? 'object')].flat();
      if (types.some((type) => type === 'array' || type === 'object') || parameter.style) needs.push(`${route} has a ${parameter.in} parameter ${parameter.name} that is not a plain string, number or boolean`);
    }
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const types = Object.keys(resolve(response)?.content ?? {});
        if (status.startsWith('2') && types.some((type) => !/^application\/(.+\+)?json$/.test(type))) needs.push(`${route} answers ${status} with ${types.join(', ')}`);
      }
    }
  }
  for (const [name, scheme] of Object.entries(spec.components?.securitySchemes ?? {})) {
    if (scheme.type === 'apiKey' ? scheme.in !== 'header' : scheme.scheme?.toLowerCase() !== 'bearer') needs.push(`the security scheme ${name} is not a bearer token or a key in a header`);
  }
  return needs;
}

/** Generates one target into `output` from the descriptions in `specDir`: hey-api, then the SDK's post-generation step. */
export async function generateInto(config, output, specDir = 'openapi') {
  await createClient(config(output, specDir));
  if (config === generatorConfig) trimClient(output, parse(readFileSync(generatorConfig(output, specDir).input, 'utf8')));
}
