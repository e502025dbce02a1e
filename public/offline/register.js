// Registers Mailscope's service worker (dist/sw.js, written by scripts/offline.mjs), which
// keeps the app shell so that the inspector and the mail app open without a network; and
// when a new version has been installed beside the running one, offers to reload into it.
// The running page keeps the version it started with until the user chooses: never half
// an old app and half a new one.
if ('serviceWorker' in navigator) {
  // Whether a version of the app already controlled this page (not so on a first visit,
  // where the worker's taking over is no reason to reload).
  let controlled = Boolean(navigator.serviceWorker.controller);

  const offer = (worker) => {
    if (document.querySelector('.update-notice')) return;
    const notice = document.createElement('div');
    notice.className = 'update-notice';
    notice.setAttribute('role', 'status');
    const text = document.createElement('span');
    text.textContent = 'A new version of Mailscope is ready.';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button primary';
    button.textContent = 'Reload to update';
    button.addEventListener('click', () => {
      button.disabled = true;
      worker.postMessage('skip-waiting');
    });
    notice.append(text, button);
    document.body.append(notice);
  };

  // The new version takes over only when asked to; then every open page reloads into it.
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controlled && !reloading) {
      reloading = true;
      location.reload();
    }
    controlled = true;
  });

  // A page that loaded while the worker was still installing is not under its control:
  // it asks to be kept (its shell cached) and taken over.
  navigator.serviceWorker.ready.then((registration) => {
    if (!navigator.serviceWorker.controller) registration.active?.postMessage('keep-me');
  });

  // Registered once the app has started (Trunk's TrunkApplicationStarted), so that the
  // worker's install, which fetches the whole shell, does not compete with the app's own
  // first download; 5 s after the load event at the latest.
  let registered = false;
  const register = () => {
    if (registered) return;
    registered = true;
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then((registration) => {
        if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
        registration.addEventListener('updatefound', () => {
          const worker = registration.installing;
          worker?.addEventListener('statechange', () => {
            if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
          });
        });
      })
      .catch((e) => console.warn(`Mailscope works online only here: ${e}`));
  };
  addEventListener('TrunkApplicationStarted', register, { once: true });
  addEventListener('load', () => setTimeout(register, 5000), { once: true });
}
