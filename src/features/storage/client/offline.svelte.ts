import { registerSW } from 'virtual:pwa-register';

/** The service worker's state, as the storage panel shows it. */
export const offline = $state({
  /** Everything the app needs is cached: it works with the network off. */
  ready: false,
  /** The service worker is registered: it starts after the page is ready (src/app/afterReady.ts). */
  started: false,
  problem: null as string | null,
});

/** Registers the service worker of the built app (the dev server has none). */
export function registerOfflineSupport(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  offline.started = true;
  registerSW({
    immediate: true,
    onRegisteredSW(_url, registration) {
      if (registration) void followOfflineCopy(registration);
    },
    onRegisterError(error: unknown) {
      offline.problem = `Offline support is unavailable: ${error instanceof Error ? error.message : String(error)}`;
    },
  });
}

/**
 * The offline copy is complete once the registration has an active worker: Workbox precaches
 * everything while the worker installs, and a worker whose precache fails never activates.
 *
 * This is read from the registration, not from workbox-window's events (`installed`, which
 * `onOfflineReady` relied on): those only come for a worker whose install this page saw begin. A page
 * reloaded while the first visit's worker was still installing heard none of them and said
 * "Caching…" for good, although the copy completed.
 */
async function followOfflineCopy(registration: ServiceWorkerRegistration): Promise<void> {
  const installing = registration.installing ?? registration.waiting;
  installing?.addEventListener('statechange', () => {
    if (installing.state !== 'redundant') return;
    if (registration.active || registration.installing || registration.waiting) return;
    offline.problem = 'The offline copy could not be completed; the next visit tries again.';
  });
  await navigator.serviceWorker.ready;
  offline.problem = null;
  offline.ready = true;
}
