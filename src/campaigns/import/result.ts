/** What a field parser returns: the value, or why the text is not acceptable. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });
