// Bundles the operator program into one ES module (plus a chunk for the Kubernetes client library,
// loaded only for kubeconfigs that run a command or an auth provider) for the container image:
// Node does not strip types under node_modules, and a bundle needs no node_modules at all.
//   node packages/operator/scripts/bundle.ts [outDir]
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');
export const DEFAULT_BUNDLE_DIR = join(packageDir, 'bundle');

export async function bundleOperator(outDir = DEFAULT_BUNDLE_DIR): Promise<{ dir: string; bytes: number }> {
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { main: join(packageDir, 'src', 'main.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // Whitespace and syntax minified, names kept, lines short: the source line Node prints with a
    // crash, and the function names of stack traces, stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    lineLimit: 160,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    // Some dependencies are CommonJS and call require() for Node's modules.
    banner: {
      js: "import { createRequire as gkoCreateRequire } from 'node:module'; const require = gkoCreateRequire(import.meta.url);",
    },
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return { dir: outDir, bytes };
}

if (import.meta.main) {
  const { dir, bytes } = await bundleOperator(process.argv[2]);
  console.log(`bundled the operator into ${dir} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`);
}
