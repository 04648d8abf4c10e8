// Keeping a model in the browser: IndexedDB (large, asynchronous, the default choice),
// localStorage (small, about 5 MB per origin) or a file the user downloads and uploads again.
// Places are named like TensorFlow.js's (`indexeddb://name`, `localstorage://name`,
// `downloads://name`), and every place holds the same JSON that `toJSON()` gives.
import { NeuriteError, describe } from '../core/errors.js';
import { NeuralNetwork } from '../model/network.js';

/** A model as saved: its name, when, the JSON of `toJSON()`, and whatever the caller attached. */
export interface StoredModel {
  readonly name: string;
  /** ISO 8601 time of saving. */
  readonly savedAt: string;
  /** What the model's `toJSON()` returned (a `NeuralNetwork`'s or a `TableModel`'s). */
  readonly json: unknown;
  /** Free-form data saved with the model (the playground keeps its settings here). */
  readonly info?: Readonly<Record<string, unknown>>;
}

/** Options of the browser storage functions. */
export interface BrowserStorageOptions {
  /** IndexedDB database name, or localStorage key prefix (default `'neurite'`). */
  database?: string;
}

/** Options of {@link saveToBrowser}. */
export interface SaveToBrowserOptions extends BrowserStorageOptions {
  /** Data kept with the model and returned by {@link readStoredModel} and {@link listStoredModels}. */
  info?: Record<string, unknown>;
}

/** Where {@link saveToBrowser} can put a model: `indexeddb`, `localstorage` or `downloads`. */
export type BrowserScheme = 'indexeddb' | 'localstorage' | 'downloads';

const STORE = 'models';

function parseUrl(url: unknown, allowed: readonly BrowserScheme[]): { scheme: BrowserScheme; name: string } {
  const m = typeof url === 'string' ? /^([a-z]+):\/\/(.+)$/.exec(url) : null;
  const scheme = m?.[1] as BrowserScheme | undefined;
  if (m === null || scheme === undefined || !allowed.includes(scheme)) {
    throw new NeuriteError(
      'INVALID_OPTION',
      `expected a place like ${allowed.map((s) => `"${s}://my-model"`).join(' or ')}, got ${describe(url)}`,
    );
  }
  return { scheme, name: m[2] ?? '' };
}

/** The JSON of a model, a table model, or an already serialised model. */
function jsonOf(model: unknown): unknown {
  const toJSON = (model as { toJSON?: unknown } | null)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(model) : model;
}

function failed(what: string, e: unknown): NeuriteError {
  if (e instanceof NeuriteError) return e;
  const full = e instanceof DOMException && e.name === 'QuotaExceededError';
  return new NeuriteError(
    'IO_ERROR',
    `${what}: ${e instanceof Error ? e.message : String(e)}${full ? ' (the origin’s storage is full; localStorage holds about 5 MB: use indexeddb:// for large models)' : ''}`,
  );
}

function openDb(database: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(
      new NeuriteError(
        'UNSUPPORTED',
        'IndexedDB is not available here (a browser page or worker has it; Node does not)',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(database, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'name' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(failed(`opening IndexedDB database "${database}"`, req.error));
  });
}

/** Runs one request on the model store, closing the database after it. */
async function idb<T>(
  database: string,
  mode: IDBTransactionMode,
  make: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb(database);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = make(tx.objectStore(STORE));
      let result: T;
      req.onsuccess = () => (result = req.result);
      // Resolve once the transaction commits, so a save is durable when the promise settles.
      tx.oncomplete = () => resolve(result);
      tx.onerror = tx.onabort = () => reject(failed(`IndexedDB ${mode}`, tx.error ?? req.error));
    });
  } finally {
    db.close();
  }
}

function storage(): Storage {
  if (typeof localStorage === 'undefined')
    throw new NeuriteError(
      'UNSUPPORTED',
      'localStorage is not available here (browser pages have it; workers and Node do not)',
    );
  return localStorage;
}

const lsKey = (database: string, name: string): string => `${database}:model:${name}`;

function isStored(x: unknown): x is StoredModel {
  return typeof x === 'object' && x !== null && typeof (x as StoredModel).name === 'string' && 'json' in x;
}

/** Offers `text` to the user as a file download named `filename`. */
export function downloadText(text: string, filename: string, type = 'application/json'): void {
  if (typeof document === 'undefined')
    throw new NeuriteError('UNSUPPORTED', 'downloads need a browser page (document); save to indexeddb:// in a worker');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the blob asynchronously after click(); revoke only once it surely has.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * Saves a model (a `NeuralNetwork`, a `TableModel` or their JSON) in the browser:
 * `indexeddb://name` (any size), `localstorage://name` (small models: about 5 MB per origin) or
 * `downloads://name` (a `name.json` file download). A model of the same name is replaced.
 * Returns the record as stored.
 *
 * @example
 * ```ts
 * await saveToBrowser(net, 'indexeddb://spiral');
 * const again = await loadFromBrowser('indexeddb://spiral');
 * ```
 */
export async function saveToBrowser(
  model: unknown,
  url: string,
  options: SaveToBrowserOptions = {},
): Promise<StoredModel> {
  const { scheme, name } = parseUrl(url, ['indexeddb', 'localstorage', 'downloads']);
  const database = options.database ?? 'neurite';
  const record: StoredModel = {
    name,
    savedAt: new Date().toISOString(),
    json: jsonOf(model),
    ...(options.info !== undefined ? { info: options.info } : {}),
  };
  if (scheme === 'indexeddb') await idb(database, 'readwrite', (s) => s.put(record));
  else if (scheme === 'downloads')
    downloadText(`${JSON.stringify(record.json, null, 2)}\n`, name.endsWith('.json') ? name : `${name}.json`);
  else {
    try {
      storage().setItem(lsKey(database, name), JSON.stringify(record));
    } catch (e) {
      throw failed(`saving "${name}" in localStorage`, e);
    }
  }
  return record;
}

/** The saved record at `indexeddb://name` or `localstorage://name`, or undefined when there is none. */
export async function readStoredModel(
  url: string,
  options: BrowserStorageOptions = {},
): Promise<StoredModel | undefined> {
  const { scheme, name } = parseUrl(url, ['indexeddb', 'localstorage']);
  const database = options.database ?? 'neurite';
  let found: unknown;
  if (scheme === 'indexeddb') found = await idb(database, 'readonly', (s) => s.get(name) as IDBRequest<unknown>);
  else {
    const text = storage().getItem(lsKey(database, name));
    if (text === null) return undefined;
    try {
      found = JSON.parse(text);
    } catch {
      throw new NeuriteError('INVALID_MODEL', `localStorage entry "${name}" is not JSON`);
    }
  }
  if (found === undefined) return undefined;
  if (!isStored(found)) throw new NeuriteError('INVALID_MODEL', `the entry at ${url} is not a saved model`);
  return found;
}

/**
 * Loads the network saved at `indexeddb://name` or `localstorage://name`; `INVALID_OPTION` when
 * nothing is saved there. (A table model: `TableModel.fromJSON((await readStoredModel(url)).json)`.)
 */
export async function loadFromBrowser(url: string, options: BrowserStorageOptions = {}): Promise<NeuralNetwork> {
  const found = await readStoredModel(url, options);
  if (found === undefined) throw new NeuriteError('INVALID_OPTION', `no model is saved at ${url}`);
  return NeuralNetwork.fromJSON(found.json as Parameters<typeof NeuralNetwork.fromJSON>[0]);
}

/** The models saved under a scheme, newest first, without their weights' JSON. */
export async function listStoredModels(
  scheme: 'indexeddb' | 'localstorage',
  options: BrowserStorageOptions = {},
): Promise<Omit<StoredModel, 'json'>[]> {
  const database = options.database ?? 'neurite';
  let all: unknown[];
  if (scheme === 'indexeddb') all = await idb(database, 'readonly', (s) => s.getAll());
  else {
    const ls = storage();
    const prefix = lsKey(database, '');
    all = [];
    for (let i = 0; i < ls.length; i++) {
      const key = ls.key(i);
      if (key === null || !key.startsWith(prefix)) continue;
      try {
        all.push(JSON.parse(ls.getItem(key) ?? 'null'));
      } catch {
        // Another library's entry under our prefix: not a model, not listed.
      }
    }
  }
  return all
    .filter(isStored)
    .map((r): Omit<StoredModel, 'json'> => ({
      name: r.name,
      savedAt: r.savedAt,
      ...(r.info !== undefined ? { info: r.info } : {}),
    }))
    .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Removes the model saved at `indexeddb://name` or `localstorage://name` (nothing when there is none). */
export async function removeStoredModel(url: string, options: BrowserStorageOptions = {}): Promise<void> {
  const { scheme, name } = parseUrl(url, ['indexeddb', 'localstorage']);
  const database = options.database ?? 'neurite';
  if (scheme === 'indexeddb') await idb(database, 'readwrite', (s) => s.delete(name));
  else storage().removeItem(lsKey(database, name));
}

/** Reads a model file the user chose (an `<input type="file">`'s file, or any Blob) as its JSON. */
export async function readModelFile(file: Blob): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const name = (file as { name?: unknown }).name;
    throw new NeuriteError(
      'INVALID_MODEL',
      `${typeof name === 'string' ? name : 'the file'} is not JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/** Loads the network in a model file the user chose (upload); see {@link readModelFile}. */
export async function loadFromFile(file: Blob): Promise<NeuralNetwork> {
  return NeuralNetwork.fromJSON((await readModelFile(file)) as Parameters<typeof NeuralNetwork.fromJSON>[0]);
}
