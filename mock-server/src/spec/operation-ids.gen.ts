// Generated from openapi/sessions.yaml by `npm run generate` (scripts/api-table.mjs). Do not edit.

/** The operations of the Sessions API, by their spec `operationId`, in the spec's order. */
export const operationIds = ['listSessions', 'createSession', 'getSession', 'deleteSession', 'addMessage', 'updateContext', 'closeSession', 'completeSession', 'queryMemory'] as const;

export type OperationId = (typeof operationIds)[number];
