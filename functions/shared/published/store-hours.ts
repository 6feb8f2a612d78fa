/**
 * Published part of the Stores table's store item (ADR 9): its opening hours and status, written only by the
 * stores service, read by checkout to refuse orders to a store that is not taking them right now.
 *
 * Table `Stores` (pk/sk): a store is `{pk: 'STORE', sk: <storeId>}` with, among its other attributes,
 * `status` (`open` | `paused` | `closed`) and `hours` (OpeningHours below: an IANA `timeZone` and, per
 * weekday, intervals `{open: "HH:MM", close: "HH:MM"}` in that zone; a close before the open runs past
 * midnight; a missing or empty weekday is closed all day).
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `open` HH:MM from 00:00 to 23:59; `close` HH:MM up to 24:00. A close before the open runs past midnight. */
export interface Interval {
  readonly open: string;
  readonly close: string;
}

export interface OpeningHours {
  /** IANA time zone the hours are in, e.g. `Asia/Kolkata`. */
  readonly timeZone: string;
  /** A weekday that is missing or empty is closed all day. */
  readonly days: Partial<Record<Weekday, Interval[]>>;
}

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

/** The attributes a reader of a store's opening needs (a ProjectionExpression; `#status` names `status`, a reserved word). */
export const STORE_OPENING_ATTRIBUTES = ['#status', 'hours'] as const;

/** Whether the store item takes orders at `at`: open by its status and within its hours. */
export function takesOrdersAt(item: Record<string, unknown> | undefined, at: Date): boolean {
  if (item?.status !== 'open') return false;
  const hours = item.hours as OpeningHours | undefined;
  return hours !== undefined && typeof hours.timeZone === 'string' && isOpenAt(hours, at);
}
