// Types for the plain-JavaScript dependency check (it runs before node_modules exists).
export function offlineProblems(manifest: object, locked: object): string[];
