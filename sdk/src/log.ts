/** How much the SDK logs. `debug` shows every attempt and retry decision. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Anything with these four methods: `console` (the default), pino, winston, ... */
export interface Logger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/** From the least to the most said. */
export const logLevels: LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** The resolved logging of one client: a level and where lines go. */
export interface Log {
  level: LogLevel;
  logger: Logger;
}

/** Whether `log` writes lines of `level`: cheap, so callers build a line only when it is written. */
export function logs(log: Log, level: Exclude<LogLevel, 'off'>): boolean {
  return logLevels.indexOf(level) <= logLevels.indexOf(log.level);
}

/** Writes one line. Lines never hold the API key or any header: only what the caller passes. */
export function write(log: Log, level: Exclude<LogLevel, 'off'>, message: string): void {
  if (logs(log, level)) log.logger[level](`[fold-sessions] ${message}`);
}
