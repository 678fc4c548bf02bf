const dateFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const numberFmt = new Intl.NumberFormat();
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Short local date, e.g. "Mar 4, 2025". */
export function formatDate(iso: string): string {
  const d = parse(iso);
  return d ? dateFmt.format(d) : "—";
}

/** Local date and time, e.g. "Mar 4, 2025, 2:05 PM". */
export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? dateTimeFmt.format(d) : "—";
}

export function formatNumber(n: number): string {
  return numberFmt.format(n);
}

/** "just now", "5 minutes ago", "yesterday", "3 months ago". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return "—";
  const sec = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(sec);
  if (abs < 45) return "just now";
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["minute", 60],
    ["hour", 3600],
    ["day", 86400],
    ["week", 604800],
    ["month", 2629800],
    ["year", 31557600],
  ];
  let unit: [Intl.RelativeTimeFormatUnit, number] = units[0];
  for (const u of units) if (abs >= u[1] * 0.9) unit = u;
  return rtf.format(Math.round(sec / unit[1]), unit[0]);
}

export type ScoreLevel = "low" | "mid" | "high";

export function scoreLevel(score: number): ScoreLevel {
  if (score >= 70) return "high";
  if (score >= 30) return "mid";
  return "low";
}

/** Parse "#rgb" / "#rrggbb" into [r, g, b]; null if not a hex colour. */
export function hexToRgb(color: string | null | undefined): [number, number, number] | null {
  if (!color) return null;
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return null;
  let h = m[1];
  if (h.length === 3) h = h.split("").map((c) => c + c).join("");
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function fullName(p: { firstName: string; lastName: string }): string {
  const name = `${p.firstName} ${p.lastName}`.trim();
  return name || "Unnamed lead";
}

export function initials(p: { firstName: string; lastName: string }): string {
  const a = p.firstName.trim()[0] ?? "";
  const b = p.lastName.trim()[0] ?? "";
  return (a + b).toUpperCase() || "?";
}

export const STATUSES = ["open", "working", "qualified", "unqualified", "converted", "lost"] as const;

export function statusLabel(status: string): string {
  return status ? status[0].toUpperCase() + status.slice(1) : "—";
}

/** Human label for a LeadInput key in the activity timeline. */
export function fieldLabel(field: string): string {
  const spaced = field.replace(/_/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return spaced.replace(/\bid$/, "").trim();
}
