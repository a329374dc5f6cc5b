/** The pgvector engine's components for the shell: its panel in the drawer, its databases in the Storage tab. */
export { default as PgvectorPanel } from './PgvectorPanel.svelte';
export { default as PgvectorStorage } from './PgvectorStorage.svelte';
