import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Compares text with a golden file. A missing golden file is a failure, on every machine:
 * a test that writes its own expectation cannot fail. `UPDATE_GOLDEN=1 npx vitest run`
 * (re)writes the files instead, missing ones included: regenerate deliberately, then
 * review the diff before committing.
 */
export function expectGolden(actual: string, path: string): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file missing: ${path} (create it deliberately with UPDATE_GOLDEN=1, then review it)`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
