import { Writable } from 'node:stream';

const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const colours: Record<number, string> = { 40: '\u001b[33m', 50: '\u001b[31m', 60: '\u001b[31m' };
const reset = '\u001b[0m';

interface Line {
  level?: number;
  time?: number;
  msg?: string;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { stack?: string; message?: string };
  [field: string]: unknown;
}

function clock(time: number | undefined): string {
  return new Date(time ?? Date.now()).toISOString().slice(11, 23);
}

/** One pino JSON line as one line for people: time, level, and the request or the message. */
export function formatLine(json: string, colour: boolean): string {
  let line: Line;
  try {
    line = JSON.parse(json) as Line;
  } catch {
    return json;
  }
  const level = levels[line.level ?? 30] ?? 'INFO ';
  const tint = colour ? (colours[line.level ?? 30] ?? '') : '';
  const head = `${clock(line.time)} ${tint}${level}${tint && reset}`;
  if (line.req?.method && line.res?.statusCode !== undefined) {
    const ms = line.responseTime === undefined ? '' : ` ${line.responseTime} ms`;
    const injected = typeof line.injected === 'string' ? ` (${line.injected})` : '';
    return `${head} ${line.req.method} ${line.req.url} ${line.res.statusCode}${ms}${injected} ${line.req.id ?? ''}`.trimEnd();
  }
  const context = Object.entries(line)
    .filter(([key]) => !['level', 'time', 'msg', 'pid', 'hostname', 'err'].includes(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const stack = line.err ? `\n${line.err.stack ?? line.err.message}` : '';
  return `${head} ${line.msg ?? ''}${context ? ` ${context}` : ''}${stack}`;
}

/** A destination for pino that writes `formatLine` of every line to `out`. */
export function prettyStream(out: NodeJS.WritableStream, colour: boolean): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const text = lines.filter(Boolean).map((line) => `${formatLine(line, colour)}\n`).join('');
      if (text) out.write(text);
      done();
    },
  });
}
