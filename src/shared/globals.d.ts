// Build-time constants and module kinds esbuild provides.
declare const __KIZUKI_E2E__: boolean;

declare module '*.yaml' {
  const text: string;
  export default text;
}
