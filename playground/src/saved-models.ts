// Models kept by the playground, through neurite/io's browser storage: IndexedDB (the list under
// "Save in browser") and file download/upload. Each save is the network's toJSON() with the page's
// settings query attached, in the same database and store the playground has always used, so
// models saved before keep loading.
import {
  listStoredModels,
  readModelFile,
  readStoredModel,
  removeStoredModel,
  saveToBrowser,
} from '../../src/io/index.ts';

const WHERE = { database: 'neurite-playground' };
const url = (name: string): string => `indexeddb://${name}`;

/** Stores a model under `name` (replacing one of the same name), with the settings query it was trained with. */
export async function saveModel(name: string, json: unknown, query: string): Promise<void> {
  await saveToBrowser(json, url(name), { ...WHERE, info: { query } });
}

/** Every saved model's name, newest first. */
export async function savedModelNames(): Promise<string[]> {
  return (await listStoredModels('indexeddb', WHERE)).map((m) => m.name);
}

/** The JSON of the saved model of this name, or undefined. */
export async function loadModel(name: string): Promise<unknown> {
  return (await readStoredModel(url(name), WHERE))?.json;
}

/** Removes the saved model of this name. */
export async function deleteModel(name: string): Promise<void> {
  await removeStoredModel(url(name), WHERE);
}

/** Offers the model as a file download named `filename`. */
export async function downloadModel(json: unknown, filename: string): Promise<void> {
  await saveToBrowser(json, `downloads://${filename}`);
}

/** The model JSON in a file the user chose; `INVALID_MODEL` naming the file when it is not JSON. */
export const readUploadedModel: (file: Blob) => Promise<unknown> = readModelFile;
