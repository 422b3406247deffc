/**
 * The generated zod schemas this package validates with, in one place: the spec is the source,
 * so nothing here is written by hand. Request bodies whose spec says `additionalProperties: false`
 * get their strict variant here, at the edge.
 */
import type { z } from 'zod';
import {
  zAddMessageRequest,
  zCreateSessionRequest,
  zMemoryQueryRequest,
  zMemoryMetadata,
  zMemoryNamespace,
  zMessage,
  zSession,
  zSessionStatus,
  zSummaryStatus,
  zMemoryMatch,
  zContext,
  zErrorCode,
} from 'fold-sessions/zod';

export {
  zAddMessagePath,
  zCloseSessionPath,
  zCompleteSessionPath,
  zContext,
  zDeleteSessionPath,
  zGetSessionPath,
  zIdempotencyKey,
  zListSessionsQuery,
  zMemoryMetadata,
  zMemoryNamespace,
  zMessage,
  zRequestId,
  zSession,
  zUpdateContextBody,
  zUpdateContextPath,
} from 'fold-sessions/zod';

export const zCreateSessionBodyStrict = zCreateSessionRequest.strict();
export const zAddMessageBodyStrict = zAddMessageRequest.strict();
export const zQueryMemoryBodyStrict = zMemoryQueryRequest.strict();

export type Session = z.output<typeof zSession>;
/** The fields of `Session`, in the spec's order. */
export const sessionFields = Object.keys(zSession.shape) as ReadonlyArray<keyof Session>;
export type Message = z.output<typeof zMessage>;
export type MemoryMetadata = z.output<typeof zMemoryMetadata>;
export type MemoryNamespace = z.output<typeof zMemoryNamespace>;
export type SessionStatus = z.output<typeof zSessionStatus>;
export type SummaryStatus = z.output<typeof zSummaryStatus>;
export type Context = z.output<typeof zContext>;
export type MemoryMatch = z.output<typeof zMemoryMatch>;
export type ErrorCode = z.output<typeof zErrorCode>;
export type SessionWithMessages = Session & { messages: Message[] };

/** A create request after defaults are applied. */
export type CreateSessionInput = z.output<typeof zCreateSessionBodyStrict>;
/** An append request after validation. */
export type AddMessageInput = z.output<typeof zAddMessageBodyStrict>;
/** A memory query after defaults are applied. */
export type MemoryQueryInput = z.output<typeof zQueryMemoryBodyStrict>;
