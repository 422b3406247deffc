import { describe, expect, it } from 'vitest';
import { formatLine } from '../../mock-server/src/log-format.js';

const at = Date.UTC(2025, 0, 1, 12, 34, 56, 789);

describe('pretty log lines', () => {
  it('a request: time, level, method, URL, status, duration, injected, request id', () => {
    const line = JSON.stringify({ level: 30, time: at, req: { id: 'req_1', method: 'POST', url: '/sessions' }, res: { statusCode: 503 }, responseTime: 4, injected: 'fault' });
    expect(formatLine(line, false)).toBe('12:34:56.789 INFO  POST /sessions 503 4 ms (fault) req_1');
  });

  it('an error keeps its stack, on the lines after the message', () => {
    const line = JSON.stringify({ level: 50, time: at, msg: 'internal error', requestId: 'req_2', err: { message: 'boom', stack: 'Error: boom\n    at here' } });
    expect(formatLine(line, false)).toBe('12:34:56.789 ERROR internal error requestId=req_2\nError: boom\n    at here');
    expect(formatLine(line, true)).toContain('\u001b[31mERROR\u001b[0m');
  });

  it('passes through what is not JSON', () => {
    expect(formatLine('plain text', false)).toBe('plain text');
  });
});
