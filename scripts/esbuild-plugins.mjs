// esbuild plugins shared by the CLI build (scripts/build.mjs) and the cold-start floor (bench/baseline/bundle-bare.ts).

/**
 * zod bundles the messages of 45 languages (263 KB) behind its `locales` export; agent-mcp speaks English (zod's
 * default), so a bundle keeps that one.
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: 'locales', namespace: 'zod-english', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};
