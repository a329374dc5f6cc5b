import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DOC, withContractTables } from '../../datasets/contractDoc';
import { EXPLANATIONS } from '../../src/lib/pipelineStages';
import {
  concreteValues,
  METRICS,
  STAGES,
  TEST_IDS,
  URL_PARAMETERS,
  type ContractEntry,
} from '../../src/lib/testContract';
import { INDEX_KNOBS, PARAMS, SEARCH_KNOBS, VIEWS, formatParams, parseParams } from '../../src/lib/params';

/**
 * The testing contract (src/lib/testContract.ts) against everything that could drift from it:
 * the generated tables of docs/testing-contract.md, the attributes in src, the URL keys the app
 * reads and writes, and the selectors the tests use.
 */

const root = resolve(import.meta.dirname, '../..');
const CONTRACT_FILE = 'src/lib/testContract.ts';
type Kind = 'testid' | 'metric' | 'stage';
const LISTS: Record<Kind, readonly ContractEntry[]> = { testid: TEST_IDS, metric: METRICS, stage: STAGES };
const KINDS = Object.keys(LISTS) as Kind[];

function files(dir: string, pattern: RegExp): { path: string; text: string }[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name).replaceAll('\\', '/'))
    .filter((path) => pattern.test(path) && path !== CONTRACT_FILE)
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

const sources = files('src', /\.(svelte|ts)$/);

/** `{anything}` → `{}`, so `tab-{t.id}` in a component and `tab-{view}` in the list compare equal. */
const shape = (template: string): string => template.replace(/\{[^}]*\}/g, '{}');

/** A family's template as a pattern over concrete values. */
const familyPattern = (template: string): RegExp =>
  new RegExp(
    `^${template
      .split(/\{[^}]*\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  );

/** String literals assigned to a prop or property `name` anywhere in src: `testid="x"`, `metric: 'x'`. */
function assignedLiterals(name: string): string[] {
  const pattern = new RegExp(`(?<![\\w-])${name}(?:=|:\\s*)(["'])([^"'{}]+)\\1`, 'g');
  return sources.flatMap(({ text }) => [...text.matchAll(pattern)].map((m) => m[2]));
}

/**
 * The values of an attribute written as a whole expression, `data-metric={readout.metric}`:
 * stage names come from the pipeline's own record of them; otherwise the literals assigned to the
 * expression's last property (`metric: 'recall-at-k'`, `testid="sweep-chart"`).
 */
function expressionValues(kind: Kind, expression: string): string[] {
  if (kind === 'stage') return Object.keys(EXPLANATIONS);
  return assignedLiterals(expression.trim().split('.').pop()!);
}

interface Found {
  kind: Kind;
  where: string;
  literal?: string;
  template?: string;
  expression?: { text: string; values: string[] };
}

/** Every data-testid / data-metric / data-stage attribute in the components. */
function attributesInSrc(): Found[] {
  const pattern = /(?<![\w-])data-(testid|metric|stage)=(?:"([^"]*)"|'([^']*)'|\{([^}]*)\}|([^\s"'{}>]+))/g;
  return sources
    .filter(({ path }) => path.endsWith('.svelte'))
    .flatMap(({ path, text }) =>
      [...text.matchAll(pattern)].map((m): Found => {
        const kind = m[1] as Kind;
        const where = `${path}: ${m[0]}`;
        if (m[4] !== undefined)
          return { kind, where, expression: { text: m[4], values: expressionValues(kind, m[4]) } };
        const value = m[2] ?? m[3] ?? m[5];
        return value.includes('{') ? { kind, where, template: shape(value) } : { kind, where, literal: value };
      }),
    );
}

describe('the testing contract', () => {
  const found = attributesInSrc();

  it('docs/testing-contract.md holds exactly the tables generated from the list (npm run docs:contract)', () => {
    const doc = readFileSync(CONTRACT_DOC, 'utf8');
    expect(doc, 'the doc is out of date: run `npm run docs:contract`').toBe(withContractTables(doc));
  });

  it('lists each value once, and each family with its values', () => {
    for (const kind of KINDS) {
      const values = concreteValues(LISTS[kind]);
      expect(values.filter((v, i) => values.indexOf(v) !== i)).toEqual([]);
      for (const entry of LISTS[kind]) {
        expect(entry.value.includes('{'), entry.value).toBe(entry.values !== undefined);
        expect(entry.meaning.trim(), entry.value).not.toBe('');
      }
    }
  });

  it('finds the attributes in src (the scan works)', () => {
    for (const kind of KINDS) expect(found.some((f) => f.kind === kind)).toBe(true);
    for (const f of found.filter((f) => f.expression)) {
      expect(f.expression!.values.length, `no values found for ${f.where}: teach expressionValues`).toBeGreaterThan(0);
    }
  });

  it('every data-testid, data-metric and data-stage in src is in the list', () => {
    const unlisted: string[] = [];
    for (const f of found) {
      const list = LISTS[f.kind];
      const concrete = new Set(concreteValues(list));
      if (f.literal !== undefined && !concrete.has(f.literal)) unlisted.push(f.where);
      if (f.template !== undefined && !list.some((e) => e.values && shape(e.value) === f.template)) {
        unlisted.push(`${f.where} (list it as a family)`);
      }
      for (const value of f.expression?.values ?? []) if (!concrete.has(value)) unlisted.push(`${f.where} → ${value}`);
    }
    expect(unlisted).toEqual([]);
  });

  it('every listed value occurs in src', () => {
    const missing: string[] = [];
    for (const kind of KINDS) {
      const mine = found.filter((f) => f.kind === kind);
      const concrete = new Set(mine.flatMap((f) => f.expression?.values ?? (f.literal ? [f.literal] : [])));
      const templates = new Set(mine.flatMap((f) => (f.template ? [f.template] : [])));
      for (const entry of LISTS[kind]) {
        const present = entry.values ? templates.has(shape(entry.value)) : concrete.has(entry.value);
        if (!present) missing.push(`data-${kind}=${entry.value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('families whose values the app declares list exactly those', () => {
    const family = (value: string) =>
      (TEST_IDS as readonly ContractEntry[]).find((e) => e.value === value)!.values!.map(String);
    expect(family('tab-{view}')).toEqual([...VIEWS]);
    expect(family('knob-{key}').sort()).toEqual(
      [...SEARCH_KNOBS, ...INDEX_KNOBS].map((name) => PARAMS[name].key).sort(),
    );
    expect(STAGES.map((s) => s.value).sort()).toEqual(Object.keys(EXPLANATIONS).sort());
  });

  it('the URL parameters are the keys the app reads and writes', () => {
    const keys = URL_PARAMETERS.map((p) => p.key);
    const nameOf = new Map(Object.entries(PARAMS).map(([name, param]) => [param.key, name]));
    expect([...keys].sort()).toEqual([...nameOf.keys()].sort());
    const read = (search: string, key: string) =>
      JSON.stringify((parseParams(search) as object)[nameOf.get(key) as never]);
    for (const { key, example } of URL_PARAMETERS) {
      const params = parseParams(`?${example}`);
      expect(read(`?${example}`, key), `${example} should set ${key}`).not.toBe(read('', key));
      expect(new URLSearchParams(formatParams(params)).has(key), `${key} is written back to the URL`).toBe(true);
    }
  });

  it('every value the tests select is in the list', () => {
    const tests = files('tests', /\.ts$/).filter(
      ({ path }) => !path.startsWith('tests/.fixtures/') && path !== 'tests/unit/testContract.test.ts',
    );
    const unlisted: string[] = [];
    const selector = /(?<![\w-])data-(testid|metric|stage)=["']?((?:[\w-]|\$\{[^}]*\})+)/g;
    // The e2e helper `metric(page, 'name')` reads [data-metric=name]; Playwright's getByTestId('id') a test id.
    const helper = /\bmetric\(\w+, '([\w-]+)'\)/g;
    const byTestIdCall = /\bgetByTestId\((["'])([\w-]+)\1\)/g;
    for (const { path, text } of tests) {
      const seen: [Kind, string][] = [
        ...[...text.matchAll(selector)].map((m): [Kind, string] => [m[1] as Kind, m[2]]),
        ...[...text.matchAll(helper)].map((m): [Kind, string] => ['metric', m[1]]),
        ...[...text.matchAll(byTestIdCall)].map((m): [Kind, string] => ['testid', m[2]]),
      ];
      for (const [kind, raw] of seen) {
        if (/^\$\{[^}]*\}$/.test(raw)) continue; // wholly dynamic: checked where its value is written
        const list = LISTS[kind];
        const ok = raw.includes('${')
          ? list.some((e) => e.values && familyPattern(e.value).test(raw.replace(/\$\{[^}]*\}/g, 'x')))
          : concreteValues(list).includes(raw);
        if (!ok) unlisted.push(`${path}: data-${kind}=${raw}`);
      }
    }
    expect(unlisted).toEqual([]);
  });
});
