import { readFileSync } from 'node:fs';

// Used by the esbuild plugins that patch a dependency's source as the bundle reads it
// (scripts/imapflow-response-log.mjs, scripts/imapflow-fetch-keys.mjs).

/** An esbuild plugin that loads the files matching `filter` through `transform(text, path)`. */
export function sourcePatchPlugin(name, filter, transform) {
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, (args) => ({
        contents: transform(readFileSync(args.path, 'utf8'), args.path),
        loader: 'js',
      }));
    },
  };
}
