/** Opening hours in the store's own time zone, with intervals that may run past midnight. */
import { WEEKDAYS, type Interval, type OpeningHours, type Weekday } from './store';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const SHORT: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** Weekday and minutes since midnight of `at` on the wall clock of `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: SHORT[get('weekday')]!, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const crossesMidnight = (i: Interval) => toMinutes(i.close) < toMinutes(i.open);

export function isOpenAt(hours: OpeningHours, at: Date): boolean {
  const { day, minutes } = localTime(at, hours.timeZone);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
  const today = hours.days[day] ?? [];
  const inToday = today.some((i) =>
    crossesMidnight(i)
      ? minutes >= toMinutes(i.open)
      : minutes >= toMinutes(i.open) && minutes < toMinutes(i.close),
  );
  if (inToday) return true;
  return (hours.days[yesterday] ?? []).some((i) => crossesMidnight(i) && minutes < toMinutes(i.close));
}

/** Every day 00:00–24:00. */
export const ROUND_THE_CLOCK = (timeZone: string): OpeningHours => ({
  timeZone,
  days: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
});
