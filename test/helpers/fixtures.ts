import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixture(path: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)));
}
