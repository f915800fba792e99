// The package's version, read from its package.json wherever the code runs from (the sources, dist/, the bundle).
import { readFileSync } from 'node:fs';

/** Reads the package version from package.json (api/ under tsx → ../; dist/api and the bundled dist/cli → ../../). */
export function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'egress-lint' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}
