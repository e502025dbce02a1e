// Mailscope's service worker: keeps the app shell — the pages, scripts, wasm and styles of
// the inspector at / and of the mail app at /mail/ — so that both open with the proxy down
// or the network gone. It keeps nothing else: not the WebSocket (a service worker never sees
// it), not the samples, not the connection test, the workbench or the live checks (which
// need the network anyway), and nothing of anyone's
// mail (the mail app keeps what it stores in IndexedDB itself).
//
// scripts/offline.mjs writes this file into dist/ with the build's file list and a version
// made from their contents; a new build is a new worker, installed beside the running one
// and taking over only when the page asks (its "Reload to update").

const VERSION = '__VERSION__';
const SHELLS = __SHELLS__;
// Kept once first used (the connection worker), and by a new version when the old one had them.
const LATER = __LATER__;
const PREFIX = 'mailscope-shell-';
const CACHE = PREFIX + VERSION;

/** The shell a path belongs to ('/' or '/mail/'), or null for what is not kept. */
function shellOf(path) {
  if (path === '/mail' || path.startsWith('/mail/')) return '/mail/';
  if (path.startsWith('/connect/') || path.startsWith('/workbench/') || path.startsWith('/live/') || path === '/sw.js') {
    return null;
  }
  if (path.startsWith('/samples/')) return null;
  return '/';
}

const FILES = new Set([...Object.values(SHELLS).flat(), ...LATER]);

/** The shells of the app's pages open now. */
async function openShells() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const shells = windows.map((w) => shellOf(new URL(w.url).pathname)).filter(Boolean);
  return [...new Set(shells)];
}

/** What to keep at once: the shells of the pages open now, and the shells and files an
 *  older version kept. */
async function wanted() {
  const shells = new Set(await openShells());
  const files = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const shell of Object.keys(SHELLS)) {
      if (await old.match(shell)) shells.add(shell);
    }
    for (const file of LATER) {
      if (await old.match(file)) files.push(file);
    }
  }
  return [...[...shells].flatMap((shell) => SHELLS[shell]), ...new Set(files)];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Hashed files come from the HTTP cache when the page has just loaded them; the
      // others are revalidated, so what is kept is this build's.
      await cache.addAll(await wanted());
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      // A page opened while this version was installing: its shell is kept too.
      const cache = await caches.open(CACHE);
      for (const shell of await openShells()) {
        if (!(await cache.match(shell))) await cache.addAll(SHELLS[shell]);
      }
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  // A page that loaded while this version was still installing (so no worker controls it):
  // its shell is kept, and it is taken under control.
  if (event.data === 'keep-me' && event.source && 'url' in event.source) {
    event.waitUntil(
      (async () => {
        const shell = shellOf(new URL(event.source.url).pathname);
        const cache = await caches.open(CACHE);
        if (shell && !(await cache.match(shell))) await cache.addAll(SHELLS[shell]);
        await self.clients.claim();
      })(),
    );
  }
});

/** From this version's cache, else from the network (and kept when it is the shell's). */
async function kept(request, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every view of an app is its one page (the app reads the address itself).
    const shell = shellOf(url.pathname);
    if (shell) event.respondWith(kept(request, shell));
    return;
  }
  if (FILES.has(url.pathname)) event.respondWith(kept(request, url.pathname));
});
