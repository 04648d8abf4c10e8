// The CSV upload box: read the chosen file's header, offer its columns as the two features and the
// label, and hand the choice to the page when the person presses "Use this CSV".
import type { CsvSource } from './protocol.ts';

/** What the page does with the upload box's events. */
export interface CsvUploadHooks {
  /** A file was chosen: make sure the CSV dataset is the one selected (its box is then shown). */
  fileChosen(): void;
  /** The person pressed "Use this CSV" with these columns. */
  use(csv: CsvSource): void;
  error(message: string): void;
}

function el<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`missing #${id}`);
  return found;
}

/** The column names of a CSV text's header row (quotes around a name removed). */
export function csvHeader(text: string): string[] {
  return (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
}

/** Wires the file input, the three column menus and the "Use this CSV" button. */
export function bindCsvUpload(hooks: CsvUploadHooks): void {
  const input = el('csv-file', HTMLInputElement);
  const menus = (['csv-x1', 'csv-x2', 'csv-label'] as const).map((id) => el(id, HTMLSelectElement));
  let chosen: { name: string; text: string } | undefined;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    void file.text().then((text) => {
      // Cleared so that choosing the same file again (e.g. after an edit on disk) fires change again.
      input.value = '';
      const header = csvHeader(text);
      if (header.length < 3) {
        hooks.error(`${file.name}: need a header row with at least three columns (two features and a label)`);
        return;
      }
      chosen = { name: file.name, text };
      menus.forEach((menu, i) => {
        menu.replaceChildren(...header.map((c) => new Option(c, c)));
        menu.value = header[i === 2 ? header.length - 1 : i] ?? '';
      });
      el('csv-file-name', HTMLElement).textContent = file.name;
      el('csv-columns', HTMLElement).hidden = false;
      hooks.fileChosen();
    });
  });
  el('csv-use', HTMLButtonElement).addEventListener('click', () => {
    if (!chosen) return;
    const [x1, x2, label] = menus.map((m) => m.value);
    hooks.use({ ...chosen, features: [x1 ?? '', x2 ?? ''], label: label ?? '' });
  });
}
