import { FoldSessionsError, ResponseValidationError } from './errors.js';

type Schemas = typeof import('./generated/zod.gen.js');

/** The generated schema of each operation's success body. */
export type ResponseSchema = Extract<keyof Schemas, `z${string}Response`>;

let schemas: Promise<Schemas> | undefined;

/**
 * Checks a success body against the spec. The schemas, and zod with them, are imported on first
 * use only, so that clients without `validateResponses` never load (or bundle) them.
 */
export async function validateResponse(schema: ResponseSchema, body: unknown, label: string): Promise<void> {
  schemas ??= import('./generated/zod.gen.js').catch((cause: unknown) => {
    schemas = undefined;
    throw new FoldSessionsError('validateResponses needs the optional peer dependency zod 4: npm install zod', { cause });
  });
  const result = (await schemas)[schema].safeParse(body);
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = issues[0];
  throw new ResponseValidationError(
    `${label} returned a body that does not match the API spec` +
      (first ? `: ${first.path || '(root)'}: ${first.message}` : '') +
      (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
    issues,
    body,
  );
}
