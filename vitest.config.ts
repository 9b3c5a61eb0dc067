import { defineConfig } from 'vitest/config';

// CI machines have two cores: the end-to-end tests run the built CLI, write PDFs and talk
// to a real SMTP server, and one of them can take more than vitest's default 5 s there.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
