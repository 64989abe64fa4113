export function kuromojiDictDir(root: string): string;
export function shippedDictDir(root: string): string;
export function dictionaryDir(root: string): string;
