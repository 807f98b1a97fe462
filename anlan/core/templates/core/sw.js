/* Anlan's service worker (anlan/core/pwa.py; docs/operations.md, "Service worker").
 * Shell: the vendored CSS/JS by their hashed URLs and the offline page, cached at install, served cache-first.
 * Pages: network first. Only a page its view marks as a draft form (X-Anlan-Offline) is kept, under its path,
 * so that the form opens without a network (a form page it did not serve asks to be kept: "keep-page"); any other
 * navigation that fails gets the offline page.
 * Never cached: POSTs, API answers, photos, any other signed-in page. */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL = "anlan-shell-" + CONFIG.version;
const PAGES = "anlan-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(CONFIG.shell.concat([CONFIG.offline])))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith("anlan-shell-") && name !== SHELL).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// Forgetting other users' pages and keeping one run one after the other. A kept page names its user (the
// owner header), and forgetting drops only other users' pages: the result does not depend on the order in which
// a page's message and a navigation arrive (the browser does not order the two).
let pagesQueue = Promise.resolve();
function serially(task) {
  pagesQueue = pagesQueue.then(task, task);
  return pagesQueue;
}

// A page marks itself as a form to keep by its view's header; a redirect (to the login page) is never kept.
function keepable(response) {
  return response.ok && !response.redirected && response.headers.get(CONFIG.header) === "draft-form";
}

function keep(path, response) {
  return caches.open(PAGES).then((cache) => cache.put(path, response));
}

// A form page that this worker did not serve (opened before it took control) asks to be kept: it is fetched
// again, as its navigation would have been, and kept only if its view marks it.
function keepPage(path) {
  return fetch(path, { credentials: "same-origin", cache: "no-store" }).then((response) =>
    keepable(response) ? keep(path, response) : undefined,
  );
}

// Drop the kept pages of anyone but `user` ("" when signed out: all of them).
function forgetOthers(user) {
  return caches.open(PAGES).then((cache) =>
    cache.keys().then((requests) =>
      Promise.all(
        requests.map((request) =>
          cache
            .match(request)
            .then((kept) => (kept && kept.headers.get(CONFIG.owner) === user ? false : cache.delete(request))),
        ),
      ),
    ),
  );
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget-pages") {
    event.waitUntil(serially(() => forgetOthers(String(data.user || ""))).catch(() => undefined));
  } else if (data.type === "keep-page" && typeof data.path === "string") {
    const url = new URL(data.path, self.location.origin);
    if (url.origin === self.location.origin) {
      event.waitUntil(serially(() => keepPage(url.pathname)).catch(() => undefined));
    }
  }
});

function page(request) {
  const path = new URL(request.url).pathname;
  return fetch(request)
    .then((response) => {
      if (keepable(response)) {
        // Kept before the page is shown: a connection lost right after it loads still finds it.
        const copy = response.clone();
        return serially(() => keep(path, copy)).then(
          () => response,
          () => response,
        );
      }
      return response;
    })
    .catch(() =>
      caches
        .open(PAGES)
        .then((cache) => cache.match(path))
        .then((kept) => kept || caches.match(CONFIG.offline)),
    );
}

function asset(request) {
  // Hashed names never change content: what is cached is right until the next deployment's worker.
  return caches.match(request).then(
    (cached) =>
      cached ||
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(SHELL).then((cache) => cache.put(request, copy));
        }
        return response;
      }),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(asset(request));
  }
});
