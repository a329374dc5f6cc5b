/** The kinds of page parameter that params.ts declares its parameters with. */

export interface Param<T> {
  /** Key in the URL, as the testing contract names it. */
  key: string;
  /** Name shown beside its control. */
  name: string;
  default: T;
  explain: string;
  parse(q: URLSearchParams): T;
  /** Writes a value that differs from the default. */
  write(value: T, q: URLSearchParams): void;
}

/** A whole-number parameter with a range; the knobs the Controls panel shows are of this kind. */
export interface RangeParam extends Param<number> {
  min: number;
  max: number;
}

export function wholeIn(raw: string | null, min: number, max: number): number | null {
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value)) return null;
  return Math.min(max, Math.max(min, value));
}

export function whole(spec: { key: string; name: string; min: number; max: number; default: number; explain: string }) {
  return {
    ...spec,
    parse: (q) => wholeIn(q.get(spec.key), spec.min, spec.max) ?? spec.default,
    write: (value, q) => q.set(spec.key, String(value)),
  } satisfies RangeParam;
}

export function optionalWhole(key: string, min: number, max: number, explain: string): Param<number | null> {
  return {
    key,
    name: key,
    default: null,
    explain,
    parse: (q) => wholeIn(q.get(key), min, max),
    write: (value, q) => q.set(key, String(value)),
  };
}

export function text(key: string, explain: string): Param<string | null> {
  return {
    key,
    name: key,
    default: null,
    explain,
    parse: (q) => q.get(key) || null,
    write: (value, q) => q.set(key, value ?? ''),
  };
}

export function oneOf<T extends string, D extends T | null>(
  key: string,
  values: readonly T[],
  fallback: D,
  explain: string,
) {
  return {
    key,
    name: key,
    default: fallback,
    explain,
    parse: (q) => {
      const raw = q.get(key);
      return values.includes(raw as T) ? (raw as T) : fallback;
    },
    write: (value, q) => q.set(key, String(value)),
  } satisfies Param<T | D>;
}

/** On when `key=1`, or off when `key=0` for a switch that is on by default. */
export function switched(key: string, fallback: boolean, explain: string): Param<boolean> {
  return {
    key,
    name: key,
    default: fallback,
    explain,
    parse: (q) => (fallback ? q.get(key) !== '0' : q.get(key) === '1'),
    write: (value, q) => q.set(key, value ? '1' : '0'),
  };
}

/** A number in [0, 1], or null when absent. */
export function unit(key: string, explain: string): Param<number | null> {
  return {
    key,
    name: key,
    default: null,
    explain,
    parse: (q) => {
      const raw = q.get(key);
      if (raw === null || raw.trim() === '') return null;
      const value = Number(raw);
      return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : null;
    },
    write: (value, q) => q.set(key, String(value)),
  };
}

/** Catalogue ids as `key=3,4,5`, without repeats. */
export function idList(key: string, explain: string): Param<number[]> {
  return {
    key,
    name: key,
    default: [],
    explain,
    parse: (q) => {
      const raw = q.get(key);
      if (!raw) return [];
      return [...new Set(raw.split(',').map(Number))].filter((id) => Number.isInteger(id) && id >= 0);
    },
    write: (value, q) => {
      if (value.length > 0) q.set(key, value.join(','));
    },
  };
}

/** Labels as the key repeated: `hide=pizza&hide=watch`. */
export function labelList(key: string, explain: string): Param<string[]> {
  return {
    key,
    name: key,
    default: [],
    explain,
    parse: (q) => [...new Set(q.getAll(key).filter((label) => label !== ''))],
    write: (value, q) => value.forEach((label) => q.append(key, label)),
  };
}

/** Names as `key=a,b`: known names only, in the order of `names`, without repeats; none known gives the default. */
export function nameList<T extends string>(
  key: string,
  names: readonly T[],
  fallback: T[],
  explain: string,
): Param<T[]> {
  return {
    key,
    name: key,
    default: fallback,
    explain,
    parse: (q) => {
      const asked = new Set((q.get(key) ?? '').split(',').map((name) => name.trim()));
      const known = names.filter((name) => asked.has(name));
      return known.length > 0 ? known : fallback;
    },
    write: (value, q) => q.set(key, value.join(',')),
  };
}
