// Bundles the CLI entry into one ES module (dist/cli/bin.js, over tsc's output of the same file): the ESM loader's
// per-module cost was most of a one-file lint's start-up. Dependencies stay external. Without esbuild's platform
// binary (an install that left out optional packages) tsc's unbundled output stays: the same CLI, slower to start.
const options = {
  entryPoints: ['cli/bin.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  outfile: 'dist/cli/bin.js',
  allowOverwrite: true,
  logLevel: 'warning',
};
try {
  const { build } = await import('esbuild');
  await build(options);
} catch (e) {
  const why = String(e instanceof Error ? e.message : e).split('\n')[0];
  console.warn(`egress-lint build: the CLI is not bundled (${why}); dist/cli/bin.js is tsc's output, which starts about 60 ms slower.`);
}
