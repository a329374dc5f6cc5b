import { describe, expect, it } from 'vitest';
import {
  copyBinary,
  copyField,
  copyRows,
  createIndex,
  createTable,
  nearestQuery,
  searchSettings,
  splitScript,
  sqlScript,
  vectorLiteral,
} from '../../src/lib/pgvectorSql';

describe('the pgvector SQL', () => {
  it('writes vectors as pgvector text with float32 digits', () => {
    expect(vectorLiteral(new Float32Array([0.1, -2, 0.25]))).toBe('[0.10000000149011612,-2,0.25]');
  });

  it('escapes COPY text fields and writes null as \\N', () => {
    expect(copyField('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(copyField(null)).toBe('\\N');
  });

  it('refuses rows and vectors that do not match, and dimensions pgvector cannot store', () => {
    expect(() => copyRows([{ id: 1, label: null, file: null }], new Float32Array(3), 2)).toThrow(/are not 1 × 2/);
    expect(() => createTable(16001)).toThrow(/16001/);
  });

  it('names the index parameters and ef_search as pgvector spells them, capping ef_search at 1000', () => {
    expect(createIndex({ M: 12, efConstruction: 80 })).toContain('WITH (m = 12, ef_construction = 80)');
    expect(searchSettings(4096, true)).toBe(
      'SET hnsw.ef_search = 1000;\nSET hnsw.iterative_scan = relaxed_order;\nSET enable_seqscan = on;',
    );
    expect(searchSettings(64, false, true)).toContain('SET hnsw.iterative_scan = off;\nSET enable_seqscan = off;');
    expect(nearestQuery(30, true)).toBe(
      'SELECT id, 1 - (embedding <=> $1) AS score FROM items WHERE NOT (id = ANY($2::int[])) ORDER BY embedding <=> $1 LIMIT 30;',
    );
  });

  it('splits the script it writes back into statements and one COPY with its rows', () => {
    const rows = [
      { id: 3, label: 'a;b', file: 'x\ty.jpg' },
      { id: 9, label: null, file: 'z.jpg' },
    ];
    const script = sqlScript(rows, new Float32Array([1, 0, 0, 1]), 2, { M: 16, efConstruction: 200 });
    const parts = splitScript(script);
    expect(parts.map((p) => ('sql' in p ? p.sql.split(' ')[0] : 'COPY-DATA'))).toEqual([
      'CREATE',
      'CREATE',
      'COPY-DATA',
      'CREATE',
      'ANALYZE',
    ]);
    const copy = parts[2] as { copy: string; data: string };
    expect(copy.copy).toBe("COPY items (id, label, file, embedding) FROM '/dev/blob';");
    expect(copy.data).toBe('3\ta;b\tx\\ty.jpg\t[1,0]\n9\t\\N\tz.jpg\t[0,1]\n');
  });

  it('refuses a COPY without its terminator', () => {
    expect(() => splitScript('COPY items FROM stdin;\n1\t\\N\t\\N\t[1]\n')).toThrow(/terminating/);
  });

  it("writes COPY's binary format: signature, int4 id, text or -1 for null, pgvector's dim and float4s, end mark", () => {
    const bytes = copyBinary([{ id: 258, label: 'é', file: null }], new Float32Array([1.5, -2]), 2);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('PGCOPY');
    expect(Array.from(bytes.subarray(6, 19))).toEqual([0x0a, 0xff, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(view.getInt16(19)).toBe(4);
    expect([view.getInt32(21), view.getInt32(25)]).toEqual([4, 258]);
    expect([view.getInt32(29), bytes[33], bytes[34]]).toEqual([2, 0xc3, 0xa9]);
    expect(view.getInt32(35)).toBe(-1);
    expect([view.getInt32(39), view.getInt16(43), view.getInt16(45)]).toEqual([12, 2, 0]);
    expect([view.getFloat32(47), view.getFloat32(51)]).toEqual([1.5, -2]);
    expect(view.getInt16(55)).toBe(-1);
    expect(bytes.length).toBe(57);
  });
});
