"""JavaScript and TypeScript support."""
