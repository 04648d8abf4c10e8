// Models kept in the browser: each save is the network's toJSON() with the page's settings, in an
// IndexedDB store of this origin, so a trained network survives closing the tab without a file.
const DB = 'neurite-playground';
const STORE = 'models';

/** One saved model: what `NeuralNetwork.toJSON()` gave and the settings query it was trained with. */
export interface SavedModel {
  /** Unique within the store: dataset, seed, epoch and the time of saving. */
  name: string;
  savedAt: string;
  query: string;
  json: unknown;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'name' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

/** Runs one request in a transaction and closes the database after it. */
async function request<T>(mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = make(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

/** Stores a model under `model.name` (replacing one of the same name). */
export async function saveModel(model: SavedModel): Promise<void> {
  await request('readwrite', (s) => s.put(model));
}

/** Every saved model's name, newest first. */
export async function savedModelNames(): Promise<string[]> {
  const all = await request('readonly', (s) => s.getAll() as IDBRequest<SavedModel[]>);
  return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt)).map((m) => m.name);
}

/** The saved model of this name, or undefined. */
export function loadModel(name: string): Promise<SavedModel | undefined> {
  return request('readonly', (s) => s.get(name) as IDBRequest<SavedModel | undefined>);
}

/** Removes the saved model of this name. */
export async function deleteModel(name: string): Promise<void> {
  await request('readwrite', (s) => s.delete(name));
}
