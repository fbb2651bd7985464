// Huanying's service worker: templates/study/sw.js, served at /sw.js (learnapp/study/offline_views.py).
// It keeps this deployment's app shell (the content-hashed CSS, JavaScript and icons) in a cache named
// after the asset list, so a new deployment installs a new cache and the old one is deleted on activate,
// and it shows the offline study page (kept by static/offline.js in the "pages" cache) for /study when the
// network is gone. The learner's cards and waiting answers live in IndexedDB (static/offline.js).
"use strict";
var VERSION = {{ version|tojson }};
var SHELL_CACHE = "huanying-shell-" + VERSION;
var PAGES_CACHE = "huanying-pages";
var SHELL_PAGE = {{ shell|tojson }};
var PRECACHE = {{ precache|tojson }};
var PRECACHED = new Set(PRECACHE);
var OFFLINE_PAGE = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Offline · Huanying</title>" +
  "<h1>You're offline</h1><p>This page needs the network. Your saved cards work offline: " +
  "<a href=\"/study\">study them</a>.</p></html>";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(PRECACHE); })
      // The offline study page is not fetched here: static/offline.js keeps it (with each pack), and a second
      // copy on the first visit would cost its bytes twice.
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("huanying-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function studyPage(request) {
  return fetch(request).catch(function () {
    return caches.match(SHELL_PAGE, { cacheName: PAGES_CACHE, ignoreVary: true }).then(function (kept) {
      return kept || offlinePage();
    });
  });
}

function offlinePage() {
  return new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(url.pathname === "/study" ? studyPage(request) : fetch(request).catch(offlinePage));
    return;
  }
  if (PRECACHED.has(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then(function (kept) {
      return kept || fetch(request);
    }));
  }
});
