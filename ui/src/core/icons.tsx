import type { SVGProps } from "react";

type P = SVGProps<SVGSVGElement> & { size?: number };

function Svg({ size = 16, children, ...rest }: P) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

export const LogoMark = ({ size = 22 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="8" fill="#4f46e5" />
    <path d="M10 8v16h12" fill="none" stroke="#fff" strokeWidth="3.5" strokeLinecap="round" strokeLinejoin="round" />
    <circle cx="21" cy="11" r="3" fill="#a5b4fc" />
  </svg>
);

export const IconUsers = (p: P) => (
  <Svg {...p}>
    <circle cx="6" cy="5.5" r="2.5" />
    <path d="M1.5 13.5c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4" />
    <path d="M10.5 3.2a2.5 2.5 0 0 1 0 4.6M12 9.8c1.5.5 2.5 1.8 2.5 3.7" />
  </Svg>
);
export const IconBuilding = (p: P) => (
  <Svg {...p}>
    <rect x="2.5" y="2" width="7" height="12" rx="1" />
    <path d="M9.5 6h3a1 1 0 0 1 1 1v7h-11M5 5h2M5 8h2M5 11h2" />
  </Svg>
);
export const IconSearch = (p: P) => (
  <Svg {...p}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="m10.5 10.5 3.5 3.5" />
  </Svg>
);
export const IconPlus = (p: P) => (
  <Svg {...p}>
    <path d="M8 3v10M3 8h10" />
  </Svg>
);
export const IconX = (p: P) => (
  <Svg {...p}>
    <path d="m4 4 8 8M12 4l-8 8" />
  </Svg>
);
export const IconAlert = (p: P) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.5" />
    <path d="M8 4.8v3.6M8 11v.1" />
  </Svg>
);
export const IconCheck = (p: P) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.5" />
    <path d="m5.2 8.2 1.9 1.9 3.7-3.9" />
  </Svg>
);
export const IconArrowRight = (p: P) => (
  <Svg {...p}>
    <path d="M3 8h10M9 4l4 4-4 4" />
  </Svg>
);
export const IconDatabase = (p: P) => (
  <Svg {...p}>
    <ellipse cx="8" cy="3.8" rx="5.5" ry="2" />
    <path d="M2.5 3.8v8.4c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V3.8M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
  </Svg>
);
export const IconPencil = (p: P) => (
  <Svg {...p}>
    <path d="M10.5 2.5 13.5 5.5 5.5 13.5H2.5v-3z" />
  </Svg>
);
export const IconTrash = (p: P) => (
  <Svg {...p}>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4" />
  </Svg>
);
export const IconUser = (p: P) => (
  <Svg {...p}>
    <circle cx="8" cy="5.5" r="3" />
    <path d="M2.5 14c0-3 2.5-4.5 5.5-4.5s5.5 1.5 5.5 4.5" />
  </Svg>
);
export const IconChevronLeft = (p: P) => (
  <Svg {...p}>
    <path d="M10 3.5 5.5 8l4.5 4.5" />
  </Svg>
);
export const IconBell = (p: P) => (
  <Svg {...p}>
    <path d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1 1H3z" />
    <path d="M6.6 14a1.5 1.5 0 0 0 2.8 0" />
  </Svg>
);
export const IconBellOff = (p: P) => (
  <Svg {...p}>
    <path d="M5.2 3.9A4 4 0 0 1 12 7v3.2M12 12.5H3l1-1V7c0-.5.1-1 .3-1.5" />
    <path d="M6.6 14a1.5 1.5 0 0 0 2.8 0M2 2l12 12" />
  </Svg>
);
export const IconUpload = (p: P) => (
  <Svg {...p}>
    <path d="M8 10.5V2.5M4.8 5.5 8 2.3l3.2 3.2" />
    <path d="M2.5 10v2a1.5 1.5 0 0 0 1.5 1.5h8a1.5 1.5 0 0 0 1.5-1.5v-2" />
  </Svg>
);
export const IconDownload = (p: P) => (
  <Svg {...p}>
    <path d="M8 2.5v8M4.8 7.5 8 10.7l3.2-3.2" />
    <path d="M2.5 10v2a1.5 1.5 0 0 0 1.5 1.5h8a1.5 1.5 0 0 0 1.5-1.5v-2" />
  </Svg>
);
export const IconClock = (p: P) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.8V8l2.2 1.4" />
  </Svg>
);
export const IconRepeat = (p: P) => (
  <Svg {...p}>
    <path d="M2.5 7.5V7a3 3 0 0 1 3-3h8M11 1.5 13.5 4 11 6.5" />
    <path d="M13.5 8.5V9a3 3 0 0 1-3 3h-8M5 14.5 2.5 12 5 9.5" />
  </Svg>
);
export const IconTick = (p: P) => (
  <Svg {...p}>
    <path d="m3 8.5 3.2 3L13 4.5" />
  </Svg>
);
export const IconChevronDown = (p: P) => (
  <Svg {...p}>
    <path d="M4 6l4 4 4-4" />
  </Svg>
);
export const IconSnooze = (p: P) => (
  <Svg {...p}>
    <circle cx="8" cy="8.5" r="5.5" />
    <path d="M6.3 6.8h3.4l-3.4 3.4h3.4M2.5 2.5l1.8 1.5M13.5 2.5l-1.8 1.5" />
  </Svg>
);
export const IconEmptyReminders = () => (
  <svg width="64" height="64" viewBox="0 0 64 64" fill="none" aria-hidden="true" focusable="false">
    <rect x="8" y="12" width="48" height="40" rx="8" fill="currentColor" opacity="0.1" />
    <path d="M24 38V30a8 8 0 0 1 16 0v8l2 2H22z" fill="currentColor" opacity="0.55" />
    <path d="M29 41.5h6a3 3 0 0 1-6 0z" fill="currentColor" opacity="0.55" />
    <circle cx="45" cy="22" r="5" fill="currentColor" opacity="0.8" />
  </svg>
);
export const IconEmptyLeads = () => (
  <svg width="64" height="64" viewBox="0 0 64 64" fill="none" aria-hidden="true" focusable="false">
    <rect x="8" y="12" width="48" height="40" rx="8" fill="currentColor" opacity="0.1" />
    <rect x="16" y="22" width="22" height="4" rx="2" fill="currentColor" opacity="0.55" />
    <rect x="16" y="31" width="32" height="3" rx="1.5" fill="currentColor" opacity="0.25" />
    <rect x="16" y="38" width="26" height="3" rx="1.5" fill="currentColor" opacity="0.25" />
    <circle cx="47" cy="24" r="5" fill="currentColor" opacity="0.8" />
  </svg>
);
export const IconFilter = (p: P) => (
  <Svg {...p}>
    <path d="M2 3h12l-4.5 5.5V13l-3 1.5V8.5z" />
  </Svg>
);
/** Scoring: a gauge. */
export const IconGauge = (p: P) => (
  <Svg {...p}>
    <path d="M2.2 11.5a6 6 0 1 1 11.6 0" />
    <path d="m8 9.5 2.6-3.4M8 9.5v.1" />
  </Svg>
);
export const IconTrendUp = (p: P) => (
  <Svg {...p}>
    <path d="m2 11.5 4-4 2.5 2.5L14 4.5M10 4.5h4v4" />
  </Svg>
);
export const IconTrendDown = (p: P) => (
  <Svg {...p}>
    <path d="m2 4.5 4 4 2.5-2.5 5.5 5.5M10 11.5h4v-4" />
  </Svg>
);
/** A threshold crossed ("became hot"). */
export const IconFlame = (p: P) => (
  <Svg {...p}>
    <path d="M8 14.5c2.6 0 4.5-1.8 4.5-4.3 0-2.8-2.2-4.2-3.2-6.7-.9 1.3-1.2 2.4-1.1 3.6C7 6.3 6.2 5.3 6 4c-1.6 1.4-2.5 3.6-2.5 6.2 0 2.5 1.9 4.3 4.5 4.3z" />
  </Svg>
);
/** An analytics event (a page view, a click). */
export const IconPointer = (p: P) => (
  <Svg {...p}>
    <path d="m3 2.5 9.5 4.2-4 1.3-1.3 4z" />
    <path d="m8.6 8.1 3.9 3.9" />
  </Svg>
);
/** An inquiry. */
export const IconMessage = (p: P) => (
  <Svg {...p}>
    <path d="M2.5 3.5h11v7.5H7l-3 2.5V11H2.5z" />
  </Svg>
);
/** A logged call (and the lead panel's Log button): a handset. */
export const IconPhone = (p: P) => (
  <Svg {...p}>
    <path d="M5.5 2.5l1.5 3-1.3 1.2a7 7 0 0 0 3.6 3.6L10.5 9l3 1.5v2.2a1 1 0 0 1-1.1 1A10.8 10.8 0 0 1 2.3 3.6a1 1 0 0 1 1-1.1z" />
  </Svg>
);
/** A logged note: a page with lines. */
export const IconNote = (p: P) => (
  <Svg {...p}>
    <path d="M4 2.5h8v11H4zM6 5.5h4M6 8h4M6 10.5h2.5" />
  </Svg>
);
/** A logged email: an envelope. */
export const IconMail = (p: P) => (
  <Svg {...p}>
    <path d="M2.5 4h11v8h-11zM2.5 4.5L8 9l5.5-4.5" />
  </Svg>
);
/** Settings: a gear. */
export const IconSettings = (p: P) => (
  <Svg {...p}>
    <path d="M13 8.8L14.4 9.7L13.7 11.3L12.1 11A5.1 5.1 0 0 1 11 12.1L11.3 13.7L9.7 14.4L8.8 13A5.1 5.1 0 0 1 7.2 13L6.3 14.4L4.7 13.7L5 12.1A5.1 5.1 0 0 1 3.9 11L2.3 11.3L1.6 9.7L3 8.8A5.1 5.1 0 0 1 3 7.2L1.6 6.3L2.3 4.7L3.9 5A5.1 5.1 0 0 1 5 3.9L4.7 2.3L6.3 1.6L7.2 3A5.1 5.1 0 0 1 8.8 3L9.7 1.6L11.3 2.3L11 3.9A5.1 5.1 0 0 1 12.1 5L13.7 4.7L14.4 6.3L13 7.2A5.1 5.1 0 0 1 13 8.8Z" />
    <circle cx="8" cy="8" r="2" />
  </Svg>
);
export const IconEmptyScoring = () => (
  <svg width="64" height="64" viewBox="0 0 64 64" fill="none" aria-hidden="true" focusable="false">
    <rect x="8" y="12" width="48" height="40" rx="8" fill="currentColor" opacity="0.1" />
    <rect x="16" y="36" width="6" height="8" rx="1.5" fill="currentColor" opacity="0.3" />
    <rect x="25" y="30" width="6" height="14" rx="1.5" fill="currentColor" opacity="0.4" />
    <rect x="34" y="24" width="6" height="20" rx="1.5" fill="currentColor" opacity="0.55" />
    <circle cx="47" cy="22" r="5" fill="currentColor" opacity="0.8" />
  </svg>
);
