// The Anthropic SDK in a module of its own, which the adapter imports with its first request (anthropic.ts): bundled,
// a dynamic import of this module is a lazy require of dist/vendor/anthropic.cjs (a dynamic import of the package
// itself would stay a real import(), which the code-cached CLI cannot run).
export { default } from '@anthropic-ai/sdk';
