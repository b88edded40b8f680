import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestId } from './request-context';

export type LogFormat = 'auto' | 'json' | 'pretty';

/** Nest's levels in order of severity, and the pino level each one writes. */
const NEST_TO_PINO: Record<LogLevel, pino.Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** The most JSON log output held in memory while stdout is slower than the process (16 MiB). */
export const LOG_BUFFER_BYTES = 16 * 2 ** 20;

/** JSON lines unless asked for pretty output, or `auto` on a terminal (a person reading): docs/observability.md. */
export function resolveLogFormat(format: LogFormat, isTty = Boolean(process.stdout.isTTY)): 'json' | 'pretty' {
  if (format === 'auto') return isTty ? 'pretty' : 'json';
  return format;
}

/**
 * The process's one pino logger: JSON lines (`level` as a name, `time` in epoch ms, `requestId` of
 * the request being served when there is one, `context` the Nest class) or pino-pretty's lines.
 * `destination` replaces stdout (tests read the lines).
 */
export function createLogger(opts: { level: LogLevel; format: LogFormat; destination?: DestinationStream }): Logger {
  const format = resolveLogFormat(opts.format);
  const stream =
    opts.destination ??
    (format === 'pretty'
      ? pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' })
      : // asynchronous: a line written while the previous write is in flight joins the next write, so
        // the event loop does not wait on the disk or pipe per request; pino flushes what is left on exit.
        // A reader that stops reading costs at most LOG_BUFFER_BYTES of memory (further lines are dropped).
        pino.destination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES }));
  return pino(
    {
      level: NEST_TO_PINO[opts.level],
      base: { pid: process.pid },
      formatters: { level: (label) => ({ level: label }) },
      // The request id from the async context: every line written while serving a request carries it.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    stream,
  );
}

/** Nest's LoggerService on pino: `Logger` calls from every class land here (app.useLogger / NestFactory's logger). */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?)
    const [stack, context] = rest.length >= 2 ? rest : [undefined, rest[0]];
    const fields: Record<string, unknown> = {};
    if (typeof context === 'string') fields.context = context;
    if (typeof stack === 'string' && stack) fields.stack = stack;
    if (message instanceof Error) this.pino.error({ ...fields, err: message }, message.message);
    else this.pino.error(fields, text(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  setLogLevels(levels: LogLevel[]): void {
    const order: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
    const lowest = order.find((l) => levels.includes(l));
    if (lowest) this.pino.level = NEST_TO_PINO[lowest];
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = rest.length && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const fields = context ? { context } : {};
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, text(message));
  }
}

const text = (m: unknown): string => (m instanceof Error ? m.message : String(m));
