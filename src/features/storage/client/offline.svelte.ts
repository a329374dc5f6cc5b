import { registerSW } from 'virtual:pwa-register';

/** The service worker's state, as the storage panel shows it. */
export const offline = $state({
  /** Everything the app needs is cached: it works with the network off. */
  ready: false,
  problem: null as string | null,
});

/** Registers the service worker of the built app (the dev server has none). */
export function registerOfflineSupport(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  registerSW({
    immediate: true,
    onOfflineReady() {
      offline.ready = true;
    },
    onRegisteredSW(_url, registration) {
      // A page whose worker was installed on an earlier visit is offline-ready from the start.
      if (registration?.active && navigator.serviceWorker.controller) offline.ready = true;
    },
    onRegisterError(error: unknown) {
      offline.problem = `Offline support is unavailable: ${error instanceof Error ? error.message : String(error)}`;
    },
  });
}
