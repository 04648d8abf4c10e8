import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsvStream, readCsvTable, tokenizeCsv, tokenizeCsvChunk, type CsvRecord } from '../../src/data/index.js';
import { openCsvFile } from '../../src/data/node/index.js';
import { expectRejectCode as expectCode } from '../helpers/errors.js';

/** The text cut at the given positions, as an async source of pieces (called once per pass). */
function piecesOf(text: string, cuts: readonly number[]): () => AsyncIterable<string> {
  const at = [...new Set(cuts.map((c) => Math.min(text.length, Math.max(0, c))))].sort((a, b) => a - b);
  const bounds = [0, ...at, text.length];
  return async function* () {
    for (let i = 0; i + 1 < bounds.length; i++) {
      await Promise.resolve();
      yield text.slice(bounds[i], bounds[i + 1]);
    }
  };
}

async function streamed(text: string, cuts: readonly number[], options = {}): Promise<CsvRecord[]> {
  const csv = await openCsvStream(piecesOf(text, cuts), { batchRows: 3, sniffChars: 1024, ...options });
  const out: CsvRecord[] = [];
  for await (const b of csv.batches()) out.push(...b.records);
  return out;
}

// CSV texts with the shapes that make cutting hard: quotes holding delimiters, newlines and "", CRLF, blank lines.
const cell = fc.oneof(
  fc.stringMatching(/^[a-z0-9.]{0,6}$/),
  fc.stringMatching(/^[a-z ,;\n"]{0,6}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
);
const csvText = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.boolean())
  .chain(([w, h, crlf]) =>
    fc
      .array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: h, maxLength: h })
      .map((rows) => rows.map((r) => r.join(',')).join(crlf ? '\r\n' : '\n')),
  );

describe('tokenizeCsvChunk: a text read in pieces gives the records of the whole', () => {
  it('for every way of cutting it (property)', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const whole = tokenizeCsv(text, ',');
        const bounds = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const rows = [];
        let carry = '';
        let line = 1;
        let from = 0;
        for (const b of [...bounds, text.length]) {
          const chunk = tokenizeCsvChunk(carry + text.slice(from, b), ',', {
            firstLine: line,
            final: b === text.length,
          });
          rows.push(...chunk.rows);
          carry = (carry + text.slice(from, b)).slice(chunk.consumed);
          line = chunk.line;
          from = b;
        }
        expect(rows).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a record cut inside quotes, or between CR and LF, for the next piece', () => {
    expect(tokenizeCsvChunk('a,"x\ny', ',', { firstLine: 1 })).toEqual({ rows: [], consumed: 0, line: 1 });
    const c = tokenizeCsvChunk('a,b\r\nc,d\r', ',', { firstLine: 1 });
    expect(c.rows).toEqual([{ fields: ['a', 'b'], line: 1 }]);
    expect(c.consumed).toBe(5);
    expect(c.line).toBe(2);
  });
});

describe('openCsvStream', () => {
  it('gives the records readCsvTable gives, whatever the pieces (property)', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.array(fc.nat(), { maxLength: 6 }), async (body, cuts) => {
        const text = `${['p', 'q', 'r', 's'].slice(0, tokenizeCsv(body, ',')[0]?.fields.length ?? 1).join(',')}\n${body}`;
        let whole: CsvRecord[];
        try {
          whole = [...readCsvTable(text, { delimiter: ',' }).records];
        } catch {
          return; // texts readCsvTable refuses (e.g. nothing but blank cells) are another test's business
        }
        expect(await streamed(text, cuts, { delimiter: ',' })).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('detects the format from the first part: semicolons, decimal commas, BOM, no header', async () => {
    const text = '\uFEFF1,5;x;2\r\n2,25;y;3\r\n3,5;z;4\r\n';
    const csv = await openCsvStream(piecesOf(text, [4, 9]), { header: false, sniffChars: 1024 });
    expect(csv.format).toEqual({ delimiter: ';', decimal: ',', header: false });
    expect(csv.columns).toEqual(['1', '2', '3']);
    const records = [];
    for await (const b of csv.batches()) records.push(...b.records);
    expect(records).toEqual(readCsvTable(text, { header: false }).records);
    expect(records[1]).toEqual({ 1: '2.25', 2: 'y', 3: '3' });
  });

  it('numbers batches by their first row and can be read again (one pass per epoch)', async () => {
    const text = `a,b\n${Array.from({ length: 10 }, (_, i) => `${String(i)},${String(i * 2)}`).join('\n')}\n`;
    const csv = await openCsvStream(piecesOf(text, [7, 20]), { batchRows: 4, sniffChars: 1024 });
    for (let pass = 0; pass < 2; pass++) {
      const batches = [];
      for await (const b of csv.batches()) batches.push({ first: b.first, n: b.records.length, line: b.lines[0] });
      expect(batches).toEqual([
        { first: 0, n: 4, line: 2 },
        { first: 4, n: 4, line: 6 },
        { first: 8, n: 2, line: 10 },
      ]);
    }
  });

  it('names the row and line of a ragged row far into the stream', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${String(i)},1`);
    rows[400] = '400,1,2';
    const text = `a,b\n${rows.join('\n')}`;
    const csv = await openCsvStream(
      piecesOf(
        text,
        Array.from({ length: 40 }, (_, i) => i * 100),
      ),
      { sniffChars: 1024 },
    );
    const read = async (): Promise<void> => {
      for await (const b of csv.batches()) expect(b.records.length).toBeGreaterThan(0);
    };
    const e = await expectCode(read(), 'INVALID_DATA');
    expect(e.message).toMatch(/row 401 \(line 402\) has 3 fields, expected 2/);
  });

  it('refuses a quoted field that never closes instead of reading the whole file into one record', async () => {
    const csv = await openCsvStream(
      async function* () {
        await Promise.resolve();
        yield 'a,b\n1,2\n"';
        for (let i = 0; i < 3; i++) yield 'x'.repeat(8 << 20);
      },
      { sniffChars: 1024 },
    );
    const read = async (): Promise<void> => {
      for await (const b of csv.batches()) expect(b.records.length).toBeGreaterThan(0);
    };
    const e = await expectCode(read(), 'INVALID_DATA');
    expect(e.message).toMatch(/line 3 runs past 16 Mi characters; a quoted field is likely never closed/);
  });

  it('answers bad arguments and pieces that are not text with NeuriteError', async () => {
    await expectCode(openCsvStream('a,b' as never), 'INVALID_OPTION');
    await expectCode(openCsvStream(piecesOf('a\n1\n', []), { batchRows: 0 }), 'INVALID_OPTION');
    await expectCode(openCsvStream(piecesOf('', [])), 'EMPTY_DATA');
    const bytes = openCsvStream(async function* () {
      await Promise.resolve();
      yield 'a,b\n1,2\n';
      yield new Uint8Array(4) as unknown as string;
    });
    expect((await expectCode(bytes, 'INVALID_DATA')).message).toMatch(/bytes: decode them first/);
  });
});

describe('openCsvFile', () => {
  it('streams a file in pieces and reads it again per pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-stream-'));
    const path = join(dir, 't.csv');
    const text = `x;y\n${Array.from({ length: 3000 }, (_, i) => `${String(i)},5;${i % 3 === 0 ? 'a' : 'b'}`).join('\n')}\n`;
    writeFileSync(path, text);
    const csv = await openCsvFile(path, { batchRows: 1000 });
    expect(csv.format.decimal).toBe(',');
    let n = 0;
    for await (const b of csv.batches()) n += b.records.length;
    expect(n).toBe(3000);
    const all = [];
    for await (const b of csv.batches()) all.push(...b.records);
    expect(all).toEqual(readCsvTable(text).records);
  });

  it('names a missing path or a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-stream-'));
    const e = await expectCode(openCsvFile(join(dir, 'nope.csv')), 'IO_ERROR');
    expect(e.message).toMatch(/no such file/);
    expect((await expectCode(openCsvFile(dir), 'IO_ERROR')).message).toMatch(/directory/);
    await expectCode(openCsvFile(''), 'INVALID_OPTION');
  });
});
