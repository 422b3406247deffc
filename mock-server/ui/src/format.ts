import type { SessionDocument } from './types.js';

export type Status = SessionDocument['session']['status'];

/** The status a read would answer now: an active session past `expires_at` is expired. */
export function effectiveStatus(session: SessionDocument['session'], now: number): Status {
  return session.status === 'active' && session.expires_at <= now ? 'expired' : session.status;
}

/** `1 h 2 m`, `3 m 4 s`, `5 s`: the two largest units. */
export function duration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const parts: Array<[number, string]> = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor(seconds / 3600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

/** `in 59 m 12 s` or `3 s ago`. */
export function countdown(at: number, now: number): string {
  return at > now ? `in ${duration(at - now)}` : `${duration(now - at)} ago`;
}

/** A time of the server's clock, in the reader's locale, with seconds. */
export function time(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function pretty(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** Headers as `name: value` lines; `authorization` is hidden even if a server forgot to. */
export function headerLines(headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${name.toLowerCase() === 'authorization' ? '[redacted]' : value}`);
  return lines.length > 0 ? lines.join('\n') : '(none)';
}

/** Only the time of day, with seconds: for lists, where the date is mostly today. */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** `1 message`, `2 messages`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The session fields the detail view shows in its own words: name, id, TTL, lifecycle, context, summary. */
const fieldsShownApart = new Set(['id', 'name', 'status', 'ttl_seconds', 'expires_at', 'context', 'created_at', 'closed_at', 'completed_at', 'summary_status']);

/** Every other field of a session as the snapshot gives it, in its order: a field the spec gains shows here. */
export function otherFields(session: SessionDocument['session']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(session).filter(([name]) => !fieldsShownApart.has(name)));
}
