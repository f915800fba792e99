#!/usr/bin/env node
// Entry point: runs the CLI and sets the exit code (never process.exit, so output is flushed).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
