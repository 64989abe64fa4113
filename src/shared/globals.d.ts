// Build-time constants and module kinds esbuild provides.
declare const __KIZUKI_E2E__: boolean;
/** True in Chrome's build (the engine lives in an offscreen document), false in Firefox's (the event page hosts it). */
declare const __KIZUKI_OFFSCREEN__: boolean;
/**
 * The built-in pack (rules/builtin.yaml) already parsed, as JSON text: defined by the extension build so that the
 * engine host does not parse YAML at start (about 60 % of compiling the pack). Undefined in Node and in tests.
 */
declare const __KIZUKI_BUILTIN_JSON__: string | undefined;
/** What the engine works out about each regex of the built-in pack, worked out at build time (src/engine/regex-anchors.ts). */
declare const __KIZUKI_BUILTIN_REGEX_FACTS__: string | undefined;

declare module '*.yaml' {
  const text: string;
  export default text;
}
