#!/usr/bin/env node
// Shim: the CLI is written in TypeScript and built into dist/ (npm run build).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
