import type { MemoryEntry, SessionDocument } from './types.js';
import { zMemoryMetadata, zMemoryNamespace, zMessage, zSession } from '../spec/schemas.js';
import type { ValidationIssue } from './errors.js';

type Issues = { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };

function issuesAt(at: string, error: Issues): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: [at, ...issue.path.map(String)].join('.'), message: issue.message }));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The latest time a JavaScript `Date` holds: the inspector, the SDK's users and the lifecycle all read times as dates. */
export const latestDate = 8_640_000_000_000_000;

/** Issues for the times of `record` (already checked as whole numbers) past `latestDate`. */
function timeIssues(record: Record<string, unknown>, fields: readonly string[], at: string): ValidationIssue[] {
  return fields
    .filter((field) => typeof record[field] === 'number' && (record[field] as number) > latestDate)
    .map((field) => ({ path: `${at}.${field}`, message: `Must be at most ${latestDate}, the latest time a date can hold` }));
}

/**
 * The one check of a stored session document (`{org_id, session, messages}`) against the
 * Sessions API schemas, used for seed data and for the files of the file store. Each issue's
 * path starts with `at`; an empty list means the document is good.
 */
export function sessionDocumentIssues(doc: unknown, at: string): ValidationIssue[] {
  if (!isObject(doc)) return [{ path: at, message: 'Expected a session document {org_id, session, messages}' }];
  const issues: ValidationIssue[] = [];
  if (typeof doc.org_id !== 'string' || doc.org_id === '') issues.push({ path: `${at}.org_id`, message: 'Expected a non-empty organisation id' });
  if (!Array.isArray(doc.messages)) {
    issues.push({ path: `${at}.messages`, message: 'Expected an array of messages' });
  } else {
    doc.messages.forEach((message, i) => {
      const checked = zMessage.safeParse(message);
      if (!checked.success) issues.push(...issuesAt(`${at}.messages.${i}`, checked.error));
      else issues.push(...timeIssues(checked.data, ['created_at'], `${at}.messages.${i}`));
    });
  }
  if (!isObject(doc.session)) {
    issues.push({ path: `${at}.session`, message: 'Expected a session object' });
  } else {
    // `message_count` is derived from the messages, so a document need not carry it.
    const count = Array.isArray(doc.messages) ? doc.messages.length : 0;
    const checked = zSession.safeParse({ ...doc.session, message_count: count });
    if (!checked.success) issues.push(...issuesAt(`${at}.session`, checked.error));
    else issues.push(...timeIssues(checked.data, ['created_at', 'updated_at', 'expires_at', 'closed_at', 'completed_at'], `${at}.session`));
  }
  return issues;
}

/** The same check for a memory entry. */
export function memoryEntryIssues(entry: unknown, at: string): ValidationIssue[] {
  if (!isObject(entry)) return [{ path: at, message: 'Expected a memory entry {id, org_id, namespace, text, metadata}' }];
  const issues: ValidationIssue[] = [];
  for (const field of ['id', 'org_id', 'text'] as const) {
    if (typeof entry[field] !== 'string' || (field !== 'text' && entry[field] === '')) {
      issues.push({ path: `${at}.${field}`, message: `Expected ${field === 'text' ? 'a string' : 'a non-empty string'}` });
    }
  }
  const namespace = zMemoryNamespace.safeParse(entry.namespace);
  if (!namespace.success) issues.push(...issuesAt(`${at}.namespace`, namespace.error));
  const metadata = zMemoryMetadata.safeParse(entry.metadata);
  if (!metadata.success) issues.push(...issuesAt(`${at}.metadata`, metadata.error));
  const vector = entry.vector;
  if (vector !== undefined && !(Array.isArray(vector) && vector.length > 0 && vector.every((value) => typeof value === 'number' && Number.isFinite(value)))) {
    issues.push({ path: `${at}.vector`, message: 'Expected a non-empty array of finite numbers' });
  }
  return issues;
}

export type { MemoryEntry, SessionDocument };
