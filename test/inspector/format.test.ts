// The inspector's pure helpers: computed status, countdowns, headers.
import { describe, expect, it } from 'vitest';
import { countdown, duration, effectiveStatus, headerLines, otherFields, plural, pretty } from '../../mock-server/ui/src/format.js';
import type { SessionDocument } from '../../mock-server/ui/src/types.js';

const session = (status: SessionDocument['session']['status'], expiresAt: number): SessionDocument['session'] => ({
  id: 'sess_0000000000000001',
  name: 'x',
  status,
  ttl_seconds: 60,
  expires_at: expiresAt,
  context: {},
  created_at: 0,
  updated_at: 0,
  closed_at: null,
  completed_at: null,
  summary_status: 'none',
});

describe('effectiveStatus', () => {
  it('is expired for an active session at or past expires_at, by the server clock given', () => {
    expect(effectiveStatus(session('active', 1000), 999)).toBe('active');
    expect(effectiveStatus(session('active', 1000), 1000)).toBe('expired');
  });

  it('keeps closed and completed sessions as they are', () => {
    expect(effectiveStatus(session('closed', 1000), 5000)).toBe('closed');
    expect(effectiveStatus(session('completed', 1000), 5000)).toBe('completed');
  });
});

describe('duration and countdown', () => {
  it('show the two largest units', () => {
    expect(duration(0)).toBe('0 s');
    expect(duration(59_999)).toBe('59 s');
    expect(duration(3_599_000)).toBe('59 m 59 s');
    expect(duration(3_600_000)).toBe('1 h');
    expect(duration(90_061_000)).toBe('1 d 1 h');
  });

  it('counts down to a future time and up from a past one', () => {
    expect(countdown(61_000, 0)).toBe('in 1 m 1 s');
    expect(countdown(0, 5_000)).toBe('5 s ago');
  });
});

describe('headerLines', () => {
  it('redacts authorization in any case, even if a server did not', () => {
    expect(headerLines({ Authorization: 'Bearer secret', 'x-request-id': 'req_1' })).toBe('Authorization: [redacted]\nx-request-id: req_1');
    expect(headerLines({})).toBe('(none)');
  });
});

describe('pretty', () => {
  it('indents JSON, keeps text and names an absent body', () => {
    expect(pretty({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(pretty('plain')).toBe('plain');
    expect(pretty(null)).toBe('(none)');
  });
});

describe('plural', () => {
  it('says 1 message, 0 and 2 messages', () => {
    expect([plural(1, 'message'), plural(0, 'message'), plural(2, 'message')]).toEqual(['1 message', '0 messages', '2 messages']);
  });
});

describe('otherFields', () => {
  it('gives the fields the detail view does not show apart, a field it does not know included, in order', () => {
    const stored = { ...session('active', 60_000), message_count: 2, labels: ['billing'] };
    expect(otherFields(stored)).toEqual({ updated_at: 0, message_count: 2, labels: ['billing'] });
    expect(Object.keys(otherFields(stored))).toEqual(['updated_at', 'message_count', 'labels']);
  });
});
