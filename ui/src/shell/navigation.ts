import { createContext, useContext } from "react";

/** The views of the registry in shell/views.tsx. */
export type ViewId = "leads" | "companies" | "segments" | "scoring" | "reminders" | "import" | "settings";

export type Navigation = {
  /** The view on screen. */
  view: ViewId;
  /** What the view opens inside it: a company id under Companies, a dropped file under Import. */
  param: string | null;
  show: (view: ViewId, param?: string | null) => void;
  /** The lead open in the side panel, over any view. */
  leadId: string | null;
  openLead: (id: string) => void;
  closeLead: () => void;
};

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error("useNavigation outside the app shell");
  return nav;
}
