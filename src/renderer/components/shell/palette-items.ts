/**
 * What the command palette offers and how a query narrows it: views, actions, topics (from the
 * cluster store) and consumer groups. Pure, so the keyboard behaviour is testable without a DOM.
 */
export type PaletteSection = 'views' | 'actions' | 'topics' | 'groups';

export interface PaletteItem {
  id: string;
  section: PaletteSection;
  label: string;
  /** A grey hint after the label (partitions, group state). */
  hint?: string;
  /** Extra words the query may match (the English view name in Polish, the route). */
  keywords?: string;
  run: () => void;
}

/** At most this many rows: the palette is for jumping, not for listing 10,000 topics. */
export const PALETTE_LIMIT = 50;

const SECTION_ORDER: Record<PaletteSection, number> = { views: 0, actions: 1, topics: 2, groups: 3 };

/**
 * Every word of the query must occur in the label or keywords. Sections keep their order; within
 * one, labels starting with the query rank first.
 */
export function filterPaletteItems(items: readonly PaletteItem[], query: string): PaletteItem[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items.slice(0, PALETTE_LIMIT);
  const scored: { item: PaletteItem; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const label = item.label.toLowerCase();
    const text = `${label} ${(item.keywords ?? '').toLowerCase()}`;
    if (!words.every((w) => text.includes(w))) return;
    const score = label.startsWith(words[0]!) ? 0 : label.includes(words[0]!) ? 1 : 2;
    scored.push({ item, score, index });
  });
  scored.sort(
    (a, b) =>
      SECTION_ORDER[a.item.section] - SECTION_ORDER[b.item.section] || a.score - b.score || a.index - b.index,
  );
  return scored.slice(0, PALETTE_LIMIT).map((s) => s.item);
}
