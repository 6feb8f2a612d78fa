/**
 * Runs schedule triggers locally, as EventBridge Scheduler would: each scheduled function is invoked
 * through the same Lambda runner as HTTP functions, at the times of its `rate(...)` or `cron(...)`
 * expression (in its time zone), with the event CDK renders (functions/shared/schedule.ts).
 * `cron(...)` is parsed by cron-parser after translating Scheduler's six fields (minutes hours
 * day-of-month month day-of-week year; `?`; day-of-week 1-7 = SUN-SAT) to its five.
 */
import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { ScheduledEvent } from '../functions/shared/schedule';
import { isScheduledFunction, type FunctionDef } from '../lib/app/types';

const RATE = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
/** setTimeout takes at most about 24.8 days; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Schedule {
  /** The first run strictly after `after`. */
  next(after: Date): Date;
}

export function parseSchedule(expression: string, timeZone = 'UTC'): Schedule {
  const rate = RATE.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!.replace(/s$/, '') as keyof typeof UNIT_MS;
    if (value < 1) throw new Error(`A rate must be at least 1: ${expression}`);
    if ((value === 1) !== !rate[2]!.endsWith('s'))
      throw new Error(`Scheduler wants "1 ${unit}" and "N ${unit}s": ${expression}`);
    const every = value * UNIT_MS[unit];
    // Scheduler starts a rate when the schedule is created; locally, when the platform starts.
    const start = Date.now();
    return { next: (after) => new Date(start + (Math.floor((after.getTime() - start) / every) + 1) * every) };
  }
  const cron = CRON.exec(expression.trim());
  if (!cron) throw new Error(`Not a rate(...) or cron(...) expression: ${expression}`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new Error(`cron() takes 6 fields (minutes hours dom month dow year): ${expression}`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?'))
    throw new Error(`cron(): exactly one of day-of-month and day-of-week must be "?": ${expression}`);
  const years = yearFilter(year, expression);
  const translated = [minutes, hours, dom === '?' ? '*' : dom, month, dow === '?' ? '*' : weekdays(dow)].join(
    ' ',
  );
  CronExpressionParser.parse(translated, { tz: timeZone }); // fail at start-up, not at the first run
  return {
    next(after) {
      const interval = CronExpressionParser.parse(translated, { tz: timeZone, currentDate: after });
      for (let i = 0; i < 1000; i++) {
        const date = interval.next().toDate();
        if (years(date.getUTCFullYear())) return date;
      }
      throw new Error(`No run of ${expression} in the years it allows`);
    },
  };
}

/** Scheduler's day-of-week numbers are 1-7 for SUN-SAT; cron-parser's are 0-6. Names pass through. */
function weekdays(field: string): string {
  return field.replace(/(^|[,\-/#])([1-7])(?=$|[,\-/#L])/g, (_m, sep: string, d: string) => {
    // After "/" the number is a step and after "#" an occurrence, not a day.
    if (sep === '/' || sep === '#') return `${sep}${d}`;
    return `${sep}${Number(d) - 1}`;
  });
}

function yearFilter(field: string, expression: string): (year: number) => boolean {
  if (field === '*') return () => true;
  const parts = field.split(',').map((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
    if (!m) throw new Error(`cron(): unsupported year field "${field}": ${expression}`);
    return [Number(m[1]), Number(m[2] ?? m[1])] as const;
  });
  return (year) => parts.some(([from, to]) => year >= from && year <= to);
}

/** The event a scheduled function receives, as CDK's schedule input renders it. */
export function scheduledEvent(
  fn: FunctionDef,
  at: Date,
  input: Record<string, unknown> = {},
): ScheduledEvent {
  return {
    source: 'zepto.scheduler',
    scheduleArn: `arn:aws:scheduler:ap-south-1:000000000000:schedule/default/zepto-local-${fn.name}`,
    scheduledTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    executionId: randomUUID(),
    attempt: 1,
    input,
  };
}

export interface LocalScheduler {
  /** When each scheduled function runs next. */
  readonly next: ReadonlyMap<string, Date>;
  stop(): void;
}

export function startScheduler(
  functions: readonly FunctionDef[],
  opts: {
    readonly invoke: (name: string, event: unknown) => Promise<{ ok: boolean }>;
    readonly log?: (line: string) => void;
    readonly now?: () => Date;
  },
): LocalScheduler {
  const now = opts.now ?? (() => new Date());
  const timers = new Map<string, NodeJS.Timeout>();
  const next = new Map<string, Date>();
  let stopped = false;

  for (const fn of functions.filter(isScheduledFunction)) {
    const schedule = parseSchedule(fn.trigger.expression, fn.trigger.timeZone);
    const arm = (from: Date) => {
      if (stopped) return;
      const at = schedule.next(from);
      next.set(fn.name, at);
      const wait = () => {
        const ms = at.getTime() - now().getTime();
        if (ms > MAX_TIMER_MS) return timers.set(fn.name, setTimeout(wait, MAX_TIMER_MS).unref());
        timers.set(
          fn.name,
          setTimeout(
            () => {
              opts.log?.(`[scheduler] ${fn.name}: ${fn.trigger.description}`);
              opts
                .invoke(fn.name, scheduledEvent(fn, at))
                .then((r) => !r.ok && opts.log?.(`[scheduler] ${fn.name} failed`))
                .catch((e: unknown) => opts.log?.(`[scheduler] ${fn.name} failed: ${String(e)}`))
                .finally(() => arm(at));
            },
            Math.max(0, ms),
          ).unref(),
        );
      };
      wait();
    };
    arm(now());
  }
  return {
    next,
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
