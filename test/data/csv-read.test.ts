import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeCsvFormat,
  isMissing,
  normalizeDecimals,
  parseCsv,
  parseNumber,
  readCsvTable,
  resolveColumn,
  sniffDecimal,
  sniffDelimiter,
  tokenizeCsv,
} from '../../src/data/index.js';
import { IRIS_CLASSES, IRIS_ROWS } from '../../src/data/iris.generated.js';
import { readCsvFile } from '../../src/data/node/index.js';
import { catchNeurite, expectCode } from '../helpers/errors.js';

const vega = (file: string): string => join(import.meta.dirname, '../../node_modules/vega-datasets/data', file);

/** Fisher's iris as a CSV text with the given delimiter and decimal separator. */
function irisText(delimiter: string, decimal: '.' | ','): string {
  const num = (v: number): string => (decimal === ',' ? String(v).replace('.', ',') : String(v));
  const lines = [['sepal length', 'sepal width', 'petal length', 'petal width', 'species'].join(delimiter)];
  for (const r of IRIS_ROWS) lines.push([...r.slice(0, 4).map(num), IRIS_CLASSES[r[4]] ?? ''].join(delimiter));
  return `${lines.join('\n')}\n`;
}

describe('readCsvTable: the shapes of real files', () => {
  it('semicolons with decimal commas read as the same table as the comma file (iris)', () => {
    const plain = parseCsv(irisText(',', '.'), { target: 'species' });
    const semi = parseCsv(irisText(';', ','), { target: 'species' });
    expect(plain.format).toEqual({ delimiter: ',', decimal: '.', header: true });
    expect(semi.format).toEqual({ delimiter: ';', decimal: ',', header: true });
    expect(describeCsvFormat(semi.format)).toBe("';'-separated, decimal comma");
    expect(semi.size).toEqual({ rows: 150, columns: 5 });
    expect(semi.dataset.featureNames).toEqual(plain.dataset.featureNames);
    expect(semi.dataset.x.data).toEqual(plain.dataset.x.data);
    expect(semi.dataset.y.data).toEqual(plain.dataset.y.data);
    expect(semi.encoding).toEqual(plain.encoding);
    // 1,276-feature one-hot is what this file used to become; now 4 numeric inputs.
    expect(semi.dataset.x.cols).toBe(4);
  });

  it('a real tab-separated file (vega-datasets unemployment.tsv; rates written .097)', () => {
    const t = readCsvTable(readFileSync(vega('unemployment.tsv'), 'utf8'));
    expect(t.format).toEqual({ delimiter: '\t', decimal: '.', header: true });
    expect(t.columns).toEqual(['id', 'rate']);
    expect(t.records[0]).toEqual({ id: '1001', rate: '.097' });
    expect(parseNumber(String(t.records[0]?.['rate']))).toBe(0.097);
  });

  it('pipe- and tab-separated iris read as the comma file', () => {
    const plain = parseCsv(irisText(',', '.'), { target: 'species' }).dataset;
    for (const d of ['|', '\t']) {
      const other = parseCsv(irisText(d, '.'), { target: 'species' });
      expect(other.format.delimiter).toBe(d);
      expect(other.dataset.x.data).toEqual(plain.x.data);
    }
    // A tab file with decimal commas too.
    const tabComma = parseCsv(irisText('\t', ','), { target: 5 });
    expect(tabComma.format).toEqual({ delimiter: '\t', decimal: ',', header: true });
    expect(tabComma.dataset.x.data).toEqual(plain.x.data);
  });

  it('no header: columns are numbered, the target is given by number', () => {
    const text = irisText(';', ',').split('\n').slice(1).join('\n');
    const { dataset, format, notes } = parseCsv(text, { target: 5, header: false });
    expect(format).toEqual({ delimiter: ';', decimal: ',', header: false });
    expect(notes).toEqual([]);
    expect(dataset.x.rows).toBe(150);
    expect(dataset.featureNames).toEqual(['1', '2', '3', '4']);
    expect(dataset.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(parseCsv(text, { target: '5', header: false }).dataset.y.data).toEqual(dataset.y.data);
    expect(expectCode(() => parseCsv(text, { target: 'species', header: false }), 'INVALID_OPTION').message).toBe(
      'unknown target column "species"; the file was read without a header, so its columns are numbered 1–5',
    );
  });

  it('a header-less file read with a header: a note, and hints in the errors', () => {
    const text = '14.23,1.71,2.43,1\n13.2,1.78,2.14,1\n13.16,2.36,2.67,2\n';
    const t = readCsvTable(text);
    expect(t.columns).toEqual(['14.23', '1.71', '2.43', '1']);
    expect(t.notes).toHaveLength(1);
    expect(t.notes[0]).toMatch(/^the first row \("14\.23", "1\.71", "2\.43", "1"\) looks like data.*pass --no-header/);
    expect(expectCode(() => parseCsv(text, { target: 'class' }), 'INVALID_OPTION').message).toMatch(
      /unknown target column "class".*The first row looks like data, not names: if the file has no header row, pass --no-header/,
    );
    // Repeated numbers in a data-like first row: the duplicate-name error says the same.
    expect(expectCode(() => readCsvTable('1,1,0\n2,3,1\n'), 'INVALID_DATA').message).toMatch(
      /"1" appears twice; the first row looks like data: .*--no-header/,
    );
    // Column numbers as names (digits' 0…63) are a real header, not data.
    expect(readCsvTable('0,1,2,target\n5,6,7,1\n').notes).toEqual([]);
  });

  it('a header whose names are numbers: a name wins, a column number reaches the others', () => {
    const text = '0,1,2,target\n5,6,7,a\n8,9,10,b\n';
    expect(resolveColumn('4', ['0', '1', '2', 'target'])).toBe('target');
    expect(resolveColumn('1', ['0', '1', '2', 'target'])).toBe('1');
    expect(resolveColumn(4, ['0', '1', '2', 'target'])).toBe('target');
    const { dataset } = parseCsv(text, { target: 4 });
    expect(dataset.classes).toEqual(['a', 'b']);
    expect(dataset.featureNames).toEqual(['0', '1', '2']);
    expect(parseCsv(text, { target: '4', features: ['0', 3] }).dataset.featureNames).toEqual(['0', '2']);
    expect(expectCode(() => parseCsv(text, { target: 5 }), 'INVALID_OPTION').message).toBe(
      'target column 5 is out of range: the file has 4 columns (numbers 1–4)',
    );
  });

  it('quoted fields hold delimiters, newlines and doubled quotes; the line numbers follow the file', () => {
    const text = 'name;note;y\n"Smith; John";"said ""hi""\nthen left";1\n  "x" ;12" pizza;2\n"a";b;oops\n';
    const t = readCsvTable(text);
    expect(t.format.delimiter).toBe(';');
    expect(t.records).toEqual([
      { name: 'Smith; John', note: 'said "hi"\nthen left', y: '1' },
      { name: 'x', note: '12" pizza', y: '2' },
      { name: 'a', note: 'b', y: 'oops' },
    ]);
    expect(t.lines).toEqual([2, 4, 5]);
    expect(expectCode(() => parseCsv(text, { target: 'y', task: 'regression' }), 'INVALID_DATA').message).toBe(
      'row 3 (line 5), column "y": expected a number, found "oops"',
    );
    expect(expectCode(() => readCsvTable('a,b\n1,"open\n2,3\n'), 'INVALID_DATA').message).toMatch(
      /the quoted field that opens on line 2 is never closed/,
    );
  });

  it('BOM, CRLF, a lone CR, blank and trailing empty lines, rows of empty cells', () => {
    const want = {
      columns: ['a', 'b'],
      records: [
        { a: '1', b: 'x' },
        { a: '2', b: 'y' },
      ],
    };
    for (const text of [
      '\ufeffa,b\r\n1,x\r\n2,y\r\n\r\n\r\n',
      'a,b\r1,x\r2,y\r',
      'a;b\n\n1;x\n  \n2;y\n;\n\n',
      'a,b,\n1,x,\n2,y,\n',
    ]) {
      const t = readCsvTable(text);
      expect({ columns: t.columns, records: t.records }, JSON.stringify(text)).toEqual(want);
    }
    expect(readCsvTable('\ufeffa,b\r\n1,x\r\n2,y\r\n').lines).toEqual([2, 3]);
  });

  it('ragged rows: row, line, both counts and the likely fix', () => {
    const e = expectCode(() => readCsvTable('a,b,c\n1,2,3\n4,5,6,7\n8,9,10,11\n'), 'INVALID_DATA');
    expect(e.message).toBe(
      'CSV row 2 (line 3) has 4 fields, expected 3 as in the header (1 more row like it); read as \',\'-separated: "4","5","6","7". ' +
        "Likely: a cell holds an unquoted ',' (put that cell in double quotes), or the file is not ','-separated (pass --delimiter: ';', tab, '|')",
    );
    expect(e.details).toEqual({ row: 2, line: 3, expected: 3, found: 4 });
    expect(expectCode(() => readCsvTable('a;b;c\n1;2\n', { delimiter: ';' }), 'INVALID_DATA').message).toMatch(
      /^CSV row 1 \(line 2\) has 2 fields, expected 3 as in the header; .*Likely: a cell and its ';' are missing/,
    );
  });

  it('a semicolon file read with an explicit comma: the error says which delimiter to pass', () => {
    const text = 'alcohol;malic_acid;class\n14.23;1.71;1\n';
    expect(readCsvTable(text, { delimiter: ',' }).columns).toEqual(['alcohol;malic_acid;class']);
    expect(expectCode(() => parseCsv(text, { target: 'class', delimiter: ',' }), 'INVALID_OPTION').message).toBe(
      'unknown target column "class"; available columns: alcohol;malic_acid;class (or give a 1-based column number, 1–1). ' +
        'The header was read as one column "alcohol;malic_acid;class": the file looks \';\'-separated; pass --delimiter \';\' (library: delimiter: ";")',
    );
    // Sniffed, it just works.
    expect(parseCsv(text, { target: 'class' }).dataset.x.data).toEqual(Float32Array.from([14.23, 1.71]));
    // With decimal commas the rows split into more fields than the header: the ragged-row error says it too.
    expect(
      expectCode(() => readCsvTable('alcohol;malic_acid;class\n14,23;1,71;1\n', { delimiter: ',' }), 'INVALID_DATA')
        .message,
    ).toMatch(/has 3 fields, expected 1 as in the header.*Likely: the file is ';'-separated: pass --delimiter ';'/);
  });

  it('missing markers: empty, NA, N/A, NaN, null, ?, . in any case; .5 and 5. are numbers', () => {
    for (const m of ['', 'NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'NULL', 'null', '?', '.'])
      expect(isMissing(m), m).toBe(true);
    for (const v of ['.5', '5.', '0', 'none', '-', 'NA5']) expect(isMissing(v), v).toBe(false);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    expect(parseNumber('.')).toBeUndefined();
    const e = expectCode(() => parseCsv('a,y\n.5,1\n.,2\n', { target: 'y', task: 'regression' }), 'INVALID_DATA');
    expect(e.message).toBe('row 2 (line 3), column "a": missing value (".")');
    // With a decimal comma, ",5" is 0.5 and a lone "." is still missing.
    const t = readCsvTable('a;b\n,5;.\n1,25;NA\n');
    expect(t.format.decimal).toBe(',');
    expect(t.records).toEqual([
      { a: '.5', b: '.' },
      { a: '1.25', b: 'NA' },
    ]);
  });

  it('decimal comma: sniffed only outside comma files, thousands separators only when unambiguous', () => {
    expect(sniffDecimal([['14,23', '1.065']])).toBe(',');
    expect(sniffDecimal([['14,23'], ['1.5']])).toBe('.');
    expect(sniffDecimal([['14', '15'], ['a']])).toBe('.');
    expect(normalizeDecimals(['1,5', '1.234,5', '1.000', 'NA', '-,5', '2e3', 'x,y'], ',')).toEqual([
      '1.5',
      '1234.5',
      '1000',
      'NA',
      '-.5',
      '2e3',
      'x,y',
    ]);
    // No decimal in the column: a lone 1.234 cannot be told from 1.234 and stays as written.
    expect(normalizeDecimals(['1.234', '2'], ',')).toEqual(['1.234', '2']);
    expect(normalizeDecimals(['1,234', '3'], '.')).toEqual(['1,234', '3']);
    expect(normalizeDecimals(['1,234', '2.5', '1,234,567'], '.')).toEqual(['1234', '2.5', '1234567']);
    // A comma file never gets a decimal comma by guessing; asking for it there is an error.
    expect(readCsvTable('a,b\n"1,5",2\n').records).toEqual([{ a: '1,5', b: '2' }]);
    expect(readCsvTable('a;b\n1,5;2\n', { decimal: '.' }).records).toEqual([{ a: '1,5', b: '2' }]);
    expectCode(() => readCsvTable('a,b\n1,2\n', { delimiter: ',', decimal: ',' }), 'INVALID_OPTION');
  });

  it('sniffDelimiter: consistent counts outside quotes; a preferred delimiter wins when it fits', () => {
    expect(sniffDelimiter('a,b;c\n1,2;3\n4,5;6\n')).toBe(';');
    expect(sniffDelimiter('"a;b",c\n"1;2",3\n')).toBe(',');
    expect(sniffDelimiter('1,5;2,5\n3,5;4,5\n')).toBe(';');
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5\n')).toBe(',');
    expect(sniffDelimiter('just one column\n1\n')).toBe(',');
    expect(sniffDelimiter('x\n1\n', ';')).toBe(';');
    expect(sniffDelimiter('a|b,c\n1|2,3\n', ',')).toBe(',');
    expect(sniffDelimiter('a,b\n1,2\n', ';')).toBe(',');
  });

  it('`like` reads the next file as the training file was read; explicit options win', () => {
    const like = { delimiter: ';', decimal: ',' as const, header: false };
    const t = readCsvTable('1,5;2\n2,5;3\n', { like });
    expect(t.format).toEqual(like);
    expect(t.records).toEqual([
      { '1': '1.5', '2': '2' },
      { '1': '2.5', '2': '3' },
    ]);
    // One column either way: the training file's delimiter is kept.
    expect(readCsvTable('x\n1\n', { like: { ...like, delimiter: '|' } }).format.delimiter).toBe('|');
    expect(readCsvTable('a,b\n1,2\n', { like }).format).toEqual({ delimiter: ',', decimal: '.', header: false });
    expect(readCsvTable('a;b\n1;2\n', { like, header: true }).columns).toEqual(['a', 'b']);
  });

  it('bad options and inputs are NeuriteErrors, never TypeErrors', () => {
    expectCode(() => readCsvTable('a\n1\n', { delimiter: ';;' }), 'INVALID_OPTION');
    expectCode(() => readCsvTable('a\n1\n', { decimal: ';' as ',' }), 'INVALID_OPTION');
    expectCode(() => readCsvTable('a\n1\n', { header: 'no' as unknown as boolean }), 'INVALID_OPTION');
    expectCode(() => readCsvTable(undefined as unknown as string), 'INVALID_OPTION');
    expectCode(() => tokenizeCsv('a', '"'), 'INVALID_OPTION');
    expectCode(() => parseCsv('a,b\n1,2\n', {} as never), 'INVALID_OPTION');
    expectCode(() => resolveColumn(' ', ['a']), 'INVALID_OPTION');
    expectCode(() => readCsvTable(''), 'EMPTY_DATA');
    expectCode(() => readCsvTable('\n\n;;\n'), 'EMPTY_DATA');
  });

  it('an unknown column among many lists the closest few, not all of them', () => {
    const columns = Array.from({ length: 178 }, (_, i) => `feature_${String(i)}`).concat(['malic_acid', 'alcohol']);
    const e = catchNeurite(() => resolveColumn('alcohl', columns, 'target column'));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/^unknown target column "alcohl"; closest of the 180 columns: alcohol, /);
    expect(e.message.split(', ').length).toBeLessThan(8);
  });
});

describe('readCsvFile', () => {
  it('sniffs the format of a file and names the dataset after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-csv-'));
    const path = join(dir, 'iris-eu.csv');
    writeFileSync(path, irisText(';', ','));
    const r = readCsvFile(path, { target: 'species' });
    expect(r.dataset.name).toBe('iris-eu');
    expect(r.format).toEqual({ delimiter: ';', decimal: ',', header: true });
    expect(readCsvFile(path, { target: 'species', decimal: '.' }).dataset.x.cols).toBeGreaterThan(100);
  });

  it('bad arguments and missing files are NeuriteErrors', () => {
    expectCode(() => readCsvFile(undefined as unknown as string, { target: 'y' }), 'INVALID_OPTION');
    expectCode(() => readCsvFile('', { target: 'y' }), 'INVALID_OPTION');
    expectCode(() => readCsvFile(42 as unknown as string, { target: 'y' }), 'INVALID_OPTION');
    expectCode(() => readCsvFile(vega('seattle-weather.csv'), undefined as never), 'INVALID_OPTION');
    expectCode(() => readCsvFile('/no/such/dir/x.csv', { target: 'y' }), 'IO_ERROR', /no such file/);
    expectCode(() => readCsvFile(tmpdir(), { target: 'y' }), 'IO_ERROR', /it is a directory/);
  });

  it('a real comma file with dates and text reads as it is (vega-datasets seattle-weather.csv)', () => {
    const r = readCsvFile(vega('seattle-weather.csv'), { target: 'temp_max', features: ['precipitation', 'wind'] });
    expect(r.format).toEqual({ delimiter: ',', decimal: '.', header: true });
    expect(r.size).toEqual({ rows: 1461, columns: 6 });
    expect(r.dataset.task).toBe('regression');
  });
});
