import { scheduledEventSchema } from '../../../functions/shared/schedule';
import { app } from '../../../lib/app/app';
import { isScheduledFunction } from '../../../lib/app/types';
import { parseSchedule, scheduledEvent, startScheduler } from '../../../local/scheduler';

const at = (iso: string) => new Date(iso);

describe('cron() expressions as EventBridge Scheduler reads them', () => {
  it('runs a daily cron at its time in Asia/Kolkata (UTC+5:30)', () => {
    const s = parseSchedule('cron(30 17 * * ? *)', 'Asia/Kolkata');
    expect(s.next(at('2026-12-01T00:00:00Z')).toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(s.next(at('2026-12-01T12:00:00Z')).toISOString()).toBe('2026-12-02T12:00:00.000Z');
  });

  it('defaults to UTC', () => {
    expect(parseSchedule('cron(0 6 * * ? *)').next(at('2026-12-01T07:00:00Z')).toISOString()).toBe(
      '2026-12-02T06:00:00.000Z',
    );
  });

  it('reads day-of-week 1-7 as SUN-SAT (2 = Monday)', () => {
    // 2026-12-01 is a Tuesday; the next Monday is 2026-12-07.
    expect(parseSchedule('cron(0 9 ? * 2 *)').next(at('2026-12-01T00:00:00Z')).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
    expect(parseSchedule('cron(0 9 ? * MON-FRI *)').next(at('2026-12-05T00:00:00Z')).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
    // 1 = Sunday, so 2-6 = Monday-Friday
    expect(parseSchedule('cron(0 9 ? * 2-6 *)').next(at('2026-12-05T00:00:00Z')).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
  });

  it('honours the year field', () => {
    expect(parseSchedule('cron(0 0 1 1 ? 2028)').next(at('2026-12-01T00:00:00Z')).toISOString()).toBe(
      '2028-01-01T00:00:00.000Z',
    );
  });

  it.each([
    'cron(0 9 * * *)',
    'cron(0 9 * * 1 *)',
    'cron(0 9 ? * ? *)',
    'cron(61 9 * * ? *)',
    'every day',
    'rate(0 minutes)',
    'rate(5 minute)',
    'rate(1 hours)',
  ])('refuses %s', (expression) => {
    expect(() => parseSchedule(expression)).toThrow();
  });
});

describe('rate() expressions', () => {
  it('runs every N units from the start', () => {
    const s = parseSchedule('rate(5 minutes)');
    const from = new Date();
    const first = s.next(from).getTime() - from.getTime();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(5 * 60_000);
    const second = s.next(new Date(from.getTime() + first));
    expect(second.getTime() - from.getTime() - first).toBe(5 * 60_000);
  });

  it('takes the singular for 1', () => {
    expect(() => parseSchedule('rate(1 hour)')).not.toThrow();
    expect(() => parseSchedule('rate(2 days)')).not.toThrow();
  });
});

describe('the local scheduler', () => {
  it('sends the event shape the scheduled handlers parse', () => {
    const fn = app.functions.find(isScheduledFunction)!;
    expect(scheduledEventSchema.parse(scheduledEvent(fn, new Date()))).toMatchObject({
      source: 'zepto.scheduler',
    });
  });

  it('parses every schedule of the app definition', () => {
    for (const fn of app.functions.filter(isScheduledFunction))
      expect(() => parseSchedule(fn.trigger.expression, fn.trigger.timeZone)).not.toThrow();
  });

  it('invokes the function through the runner when its time comes', async () => {
    jest.useFakeTimers({ now: at('2026-12-01T11:59:59Z') });
    try {
      const fn = app.functions.find(isScheduledFunction)!;
      const calls: { name: string; event: unknown }[] = [];
      const scheduler = startScheduler([fn], {
        invoke: async (name, event) => {
          calls.push({ name, event });
          return { ok: true };
        },
      });
      expect(scheduler.next.get(fn.name)?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
      await jest.advanceTimersByTimeAsync(500);
      expect(calls).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(calls.map((c) => c.name)).toEqual([fn.name]);
      expect(calls[0]!.event).toMatchObject({ scheduledTime: '2026-12-01T12:00:00Z' });
      expect(scheduler.next.get(fn.name)?.toISOString()).toBe('2026-12-02T12:00:00.000Z');
      scheduler.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
