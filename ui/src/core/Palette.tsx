import "./Palette.css";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { commands, type LeadRow } from "../bindings";
import { createLatest } from "./latest";
import { fullName } from "./format";
import { useLayer } from "./layers";
import { IconArrowRight, IconSearch, IconUser } from "./icons";
import { Kbd } from "./ui";

export type PaletteAction = { id: string; label: string; icon: ReactNode; hint?: string; run: () => void };

type Item =
  | { kind: "action"; key: string; action: PaletteAction }
  | { kind: "lead"; key: string; lead: LeadRow };

export const PALETTE_SEARCH_LIMIT = 8;

export function Palette({
  onClose,
  actions,
  onOpenLead,
}: {
  onClose: () => void;
  actions: PaletteAction[];
  onOpenLead: (id: string) => void;
}) {
  useLayer(true, onClose);
  const [text, setText] = useState("");
  const [leads, setLeads] = useState<LeadRow[]>([]);
  const [selected, setSelected] = useState(0);
  const latest = useRef(createLatest());
  const inputRef = useRef<HTMLInputElement | null>(null);
  const listRef = useRef<HTMLUListElement | null>(null);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const q = text.trim();
  useEffect(() => {
    if (!q) {
      latest.current.cancel();
      setLeads([]);
      return;
    }
    const t = setTimeout(() => {
      latest.current.run(() => commands.leadSearch({ text: q, limit: PALETTE_SEARCH_LIMIT })).then(
        (r) => {
          if (!r.stale) setLeads(r.value);
        },
        () => setLeads([]),
      );
    }, 80);
    return () => clearTimeout(t);
  }, [q]);

  const items: Item[] = useMemo(() => {
    const lower = q.toLowerCase();
    const acts = actions
      .filter((a) => !lower || a.label.toLowerCase().includes(lower))
      .map((a): Item => ({ kind: "action", key: `a-${a.id}`, action: a }));
    const ls = q ? leads.map((l): Item => ({ kind: "lead", key: `l-${l.id}`, lead: l })) : [];
    return [...acts, ...ls];
  }, [actions, leads, q]);

  useEffect(() => {
    setSelected((s) => Math.min(s, Math.max(0, items.length - 1)));
  }, [items.length]);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: "nearest" });
  }, [selected]);

  const run = (item: Item | undefined) => {
    if (!item) return;
    onClose();
    if (item.kind === "action") item.action.run();
    else onOpenLead(item.lead.id);
  };

  const firstLead = items.findIndex((i) => i.kind === "lead");

  return (
    <div
      className="overlay"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" data-testid="palette">
        <div className="palette-input">
          <IconSearch />
          <input
            ref={inputRef}
            data-testid="palette-input"
            placeholder="Type a command or search leads…"
            value={text}
            role="combobox"
            aria-expanded="true"
            aria-controls="palette-list"
            aria-activedescendant={items[selected] ? `palette-${items[selected].key}` : undefined}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setText(e.target.value);
              setSelected(0);
            }}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") {
                e.preventDefault();
                setSelected((s) => (items.length ? (s + 1) % items.length : 0));
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                setSelected((s) => (items.length ? (s - 1 + items.length) % items.length : 0));
              } else if (e.key === "Enter") {
                e.preventDefault();
                run(items[selected]);
              }
            }}
          />
          <Kbd>Esc</Kbd>
        </div>
        <ul className="palette-list" id="palette-list" role="listbox" ref={listRef}>
          {items.length === 0 && (
            <li className="palette-empty" role="presentation">
              {q ? `No results for “${q}”` : "No commands"}
            </li>
          )}
          {items.map((item, i) => (
            <PaletteRow
              key={item.key}
              item={item}
              index={i}
              selected={i === selected}
              heading={i === 0 && item.kind === "action" ? "Actions" : i === firstLead ? "Leads" : null}
              onHover={() => setSelected(i)}
              onRun={() => run(item)}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}

function PaletteRow({
  item,
  index,
  selected,
  heading,
  onHover,
  onRun,
}: {
  item: Item;
  index: number;
  selected: boolean;
  heading: string | null;
  onHover: () => void;
  onRun: () => void;
}) {
  return (
    <>
      {heading && (
        <li className="palette-group" role="presentation">
          {heading}
        </li>
      )}
      <li
        id={`palette-${item.key}`}
        className="palette-item"
        role="option"
        aria-selected={selected}
        data-testid="palette-item"
        data-index={index}
        onMouseMove={onHover}
        onMouseDown={(e) => e.preventDefault()}
        onClick={onRun}
      >
        {item.kind === "action" ? (
          <>
            {item.action.icon}
            <span className="label">{item.action.label}</span>
            {item.action.hint && <span className="hint">{item.action.hint}</span>}
          </>
        ) : (
          <>
            <IconUser />
            <span className="label">{fullName(item.lead)}</span>
            <span className="hint">{[item.lead.companyName, item.lead.email].filter(Boolean).join(" · ")}</span>
          </>
        )}
        {selected && <IconArrowRight size={14} />}
      </li>
    </>
  );
}
