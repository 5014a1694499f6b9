// Vitest runs outside React's server environment; the real `server-only` guards the Next bundles.
export {};
