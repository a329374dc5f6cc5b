/** The pgvector engine's panel in the drawer, for the shell (its Storage-tab part loads with that tab, see src/app/labPanels.ts). */
export { default as PgvectorPanel } from './PgvectorPanel.svelte';
