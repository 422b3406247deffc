import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { errorResponse, resolveRequestId, ValidationError } from '../surface.js';

const reasons: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are larger than the server accepts'],
  HPE_INVALID_CHUNK_SIZE: [400, 'Bad Request', 'The chunked body has an invalid chunk size'],
  // --header-timeout and --request-timeout.
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request did not arrive within the time the server allows'],
};

/**
 * Answers the requests Node refuses before the app sees them (an oversized header block, bad
 * chunking, a malformed request line) with a JSON error in the API's shape and an `x-request-id`,
 * instead of Node's bare status line.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || (error.code === 'ECONNRESET')) {
      socket.destroy();
      return;
    }
    const [status, reason, message] = reasons[error.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP'];
    const { body } = errorResponse(new ValidationError([{ path: 'request', message }], message));
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\nx-request-id: ${resolveRequestId(undefined)}\r\n` +
        `x-content-type-options: nosniff\r\nconnection: close\r\n\r\n${text}`,
    );
  });
}
