// A child process of lock.test.ts: takes the run lock of the journal given, says whether
// it won, and holds the lock until its stdin closes (so that every start meets a holder).
import { RunLock } from '../../src/journal/lock.js';

const path = process.argv[2]!;
try {
  const lock = RunLock.acquire(path, new Date());
  process.stdout.write('gagné\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    lock.release();
    process.exit(0);
  });
} catch (err) {
  process.stdout.write(`refusé ${(err as Error).message}\n`);
  process.exit(0);
}
