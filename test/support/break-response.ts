import type { ApiHandler, ApiResponse, OperationId } from 'fold-sessions-mock';

/** How a negative control breaks one operation's success response. */
export interface ResponseBreakage {
  operationId: OperationId;
  /** `missing-field` drops the required `id` from the body; `wrong-status` answers 202. */
  kind: 'missing-field' | 'wrong-status';
}

/** Wraps a handler so that one operation's success responses break the spec, to prove the checks notice. */
export function breakResponses(breakage: ResponseBreakage): (handle: ApiHandler) => ApiHandler {
  return (handle) => async (request) => {
    const response: ApiResponse = await handle(request);
    if (response.operationId !== breakage.operationId || response.status >= 300) return response;
    if (breakage.kind === 'wrong-status') return { ...response, status: 202 };
    const { id: _dropped, ...body } = response.body as Record<string, unknown>;
    return { ...response, body };
  };
}
