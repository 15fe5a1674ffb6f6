/**
 * A job's `definitionNL` → a 5-field cron expression, and the next run in UTC (croner, with the job's IANA
 * time zone). Understood phrases (case-insensitive, optional leading "every"/"each"):
 *   a 5-field cron expression              "*\/10 9-17 * * 1-5"
 *   every minute | every N minutes         "every 15 minutes", "every 5 mins"
 *   hourly | every hour | every N hours    "every 2 hours" (on the hour), "hourly at :30"
 *   daily | every day [at T]               "every day at 09:00", "daily at 6pm" (default 00:00)
 *   [every] weekday(s) [at T]              "weekdays at 8am" (Mon–Fri); weekends [at T] (Sat, Sun)
 *   every <day>[, <day> and <day>] [at T]  "every monday at 8am", "every mon and thu at 17:30"
 *   monthly | every month [on the Nth] [at T]  "every month on the 1st at 9am"
 *   at T                                   "at noon" (every day)
 * T: "09:00", "9:30", "9am", "9:15 pm", "noon", "midnight".
 * Anything else is an UnderstoodError naming the part that was not understood.
 */
import { Cron } from "croner";

export class ScheduleError extends Error {
  constructor(
    message: string,
    readonly part: string,
  ) {
    super(message);
    this.name = "ScheduleError";
  }
}

const DAYS: Record<string, number> = {
  sunday: 0,
  sun: 0,
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
};

const EXAMPLES = `"every 15 minutes", "hourly", "every day at 09:00", "weekdays at 8am", "every monday at 8am" or a 5-field cron expression`;

function parseTime(raw: string): { h: number; m: number } {
  const t = raw.trim();
  if (t === "noon") return { h: 12, m: 0 };
  if (t === "midnight") return { h: 0, m: 0 };
  const m = t.match(/^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/);
  if (!m || (!m[2] && !m[3])) throw new ScheduleError(`"${raw}" is not a time of day (use 09:00, 9am or 9:30 pm).`, raw);
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  if (m[3]) {
    if (h < 1 || h > 12) throw new ScheduleError(`"${raw}" is not a time of day: with am/pm the hour is 1–12.`, raw);
    h = (h % 12) + (m[3] === "pm" ? 12 : 0);
  }
  if (h > 23 || min > 59) throw new ScheduleError(`"${raw}" is not a time of day.`, raw);
  return { h, m: min };
}

/** Splits "<head> at <time>" and returns the head and the time (default midnight). */
function atTime(text: string, fallback = { h: 0, m: 0 }): { head: string; h: number; m: number } {
  const i = text.lastIndexOf(" at ");
  if (i < 0) return { head: text, ...fallback };
  return { head: text.slice(0, i).trim(), ...parseTime(text.slice(i + 4)) };
}

function dayList(text: string): number[] {
  const words = text
    .split(/\s*(?:,|\band\b|&|\+)\s*/)
    .map((w) => w.trim().replace(/s$/, ""))
    .filter(Boolean);
  if (!words.length) throw new ScheduleError(`No day of the week in "${text}".`, text);
  return words.map((w) => {
    const d = DAYS[w] ?? DAYS[`${w}s`];
    if (d === undefined) throw new ScheduleError(`"${w}" is not a day of the week.`, w);
    return d;
  });
}

function everyN(n: string | undefined, unit: string, max: number): number {
  const v = n ? Number(n) : 1;
  if (!Number.isInteger(v) || v < 1 || v > max)
    throw new ScheduleError(`"every ${n} ${unit}" is out of range: 1–${max} ${unit}.`, `${n} ${unit}`);
  return v;
}

const ordinal = /^(\d{1,2})(?:st|nd|rd|th)?$/;

/** The cron expression for a phrase; throws ScheduleError saying what was not understood. */
export function toCron(definition: string): string {
  const text = definition.trim().toLowerCase().replace(/\s+/g, " ").replace(/[.!]$/, "");
  if (/^[\d*,/-]+( [\d*,/a-z-]+){4}$/.test(text) && text.split(" ").length === 5) return validateCron(text);
  const body = text.replace(/^(every|each) /, "");

  let m = body.match(/^(?:(\d+) )?(minutes?|mins?)$/);
  if (m) {
    const n = everyN(m[1], "minutes", 59);
    return n === 1 ? "* * * * *" : `*/${n} * * * *`;
  }
  m = body.match(/^(?:hourly|(?:(\d+) )?hours?)(?: at :?(\d{1,2}))?$/);
  if (m) {
    const n = everyN(m[1], "hours", 23);
    const minute = m[2] ? Number(m[2]) : 0;
    if (minute > 59) throw new ScheduleError(`":${m[2]}" is not a minute of the hour.`, m[2]!);
    return `${minute} ${n === 1 ? "*" : `*/${n}`} * * *`;
  }
  if (body.startsWith("at ")) {
    const t = parseTime(body.slice(3));
    return `${t.m} ${t.h} * * *`;
  }
  const { head, h, m: min } = atTime(body);
  if (head === "day" || head === "daily" || head === "days") return `${min} ${h} * * *`;
  if (/^week ?days?$/.test(head)) return `${min} ${h} * * 1-5`;
  if (/^week ?ends?$/.test(head)) return `${min} ${h} * * 0,6`;
  m = head.match(/^(?:monthly|month)(?: on the (\S+)(?: day)?)?$/);
  if (m) {
    const dom = m[1] ? m[1].match(ordinal) : ["1", "1"];
    const d = dom ? Number(dom[1]) : NaN;
    if (!(d >= 1 && d <= 31)) throw new ScheduleError(`"${m[1]}" is not a day of the month.`, m[1] ?? head);
    return `${min} ${h} ${d} * *`;
  }
  const first = head.split(/[ ,]/)[0]!;
  if (DAYS[first] !== undefined || DAYS[first.replace(/s$/, "")] !== undefined) {
    const days = [...new Set(dayList(head))].sort((a, b) => a - b);
    return `${min} ${h} * * ${days.join(",")}`;
  }
  throw new ScheduleError(
    `Could not understand the schedule "${definition.trim()}": "${head}" is not a recognised interval. Try ${EXAMPLES}.`,
    head,
  );
}

function validateCron(expr: string): string {
  try {
    new Cron(expr, { paused: true });
  } catch (err) {
    throw new ScheduleError(
      `"${expr}" is not a valid cron expression: ${err instanceof Error ? err.message.replace(/^CronPattern: /, "") : "invalid"}.`,
      expr,
    );
  }
  return expr;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The first run strictly after `from` (UTC instant), or null when the expression never fires again. */
export function nextRun(cron: string, timezone: string, from: Date = new Date()): Date | null {
  return new Cron(cron, { paused: true, timezone }).nextRun(from);
}
