// Huanying: studying offline. Registers the service worker (/sw.js, which keeps the app shell), keeps the
// learner's next cards (/study/pack.json) in IndexedDB, shows them when the network is gone, keeps every
// answer given meanwhile with its time, and sends them (/study/sync) when the network is back; the server
// applies them in order with their own times and says what became of each. Offline, an answer not sent
// yet can be undone here. Without JavaScript or service workers the study page works as before, online.
(function () {
  "use strict";
  if (!window.indexedDB || !window.Promise || !window.fetch) return;

  var DB_NAME = "huanying-offline";
  var PAGES_CACHE = "huanying-pages"; // the offline study page; the worker (templates/study/sw.js) reads it
  var SHELL_PAGE = "/study/offline";
  var PACK_URL = "/study/pack.json";
  var SYNC_URL = "/study/sync";
  var PACK_MAX_AGE_MS = 10 * 60 * 1000; // a study page newer than this keeps the pack it has
  var LOW_WATER = 10; // fetch a new pack when fewer cards than this are left in a full one
  var BATCH = 200; // answers per sync (the server's limit)
  var RETRY_MS = 5000; // how often to look whether the network is back

  // ---- IndexedDB: "pack" (one record under "current") and "answers" (by id) --------------------------
  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = window.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("pack")) db.createObjectStore("pack");
          if (!db.objectStoreNames.contains("answers")) db.createObjectStore("answers", { keyPath: "id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }
  function store(name, mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name, mode);
        var request = work(transaction.objectStore(name));
        var result;
        if (request) request.onsuccess = function () { result = request.result; };
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function readPack() { return store("pack", "readonly", function (s) { return s.get("current"); }); }
  function savePack(value) { return store("pack", "readwrite", function (s) { return s.put(value, "current"); }); }
  function dropPack() { return store("pack", "readwrite", function (s) { return s.delete("current"); }); }
  function readAnswers() { return store("answers", "readonly", function (s) { return s.getAll(); }); }
  function keepAnswer(answer) { return store("answers", "readwrite", function (s) { return s.put(answer); }); }
  function forgetAnswers(ids) {
    return store("answers", "readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
  }

  // ---- the page -----------------------------------------------------------------------------------------
  var root = null; // the study page or the offline study page: [data-offline-user]
  var userId = null;
  var pack = null; // this learner's stored pack
  var waiting = []; // this learner's answers not sent yet, oldest first
  var undoable = []; // ids of answers given here, offline, not sent yet: the undo button takes the last
  var offline = false; // showing cards from the pack
  var syncing = null;
  var lastSubmit = null; // the grade last posted online, in case the network fails under it
  var worker = false; // a service worker controls (or will control) this origin

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function status(text, kind, problems) {
    var box = document.getElementById("offline-status");
    if (!box) return;
    box.textContent = "";
    if (!text) return;
    var note = document.createElement("p");
    note.className = "flash flash-" + (kind || "info");
    note.textContent = text;
    box.appendChild(note);
    if (problems && problems.length) {
      var list = document.createElement("ul");
      list.className = "offline-problems";
      problems.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      note.appendChild(list);
    }
  }
  function offlineStatus() {
    if (!pack) {
      status("You're offline, and no cards are saved on this device yet. Open Study once while online to study offline.", "warning");
      return;
    }
    status("Offline: your answers are kept on this device (" + waiting.length + " waiting).");
  }
  function readyNote() {
    var note = document.getElementById("offline-ready");
    if (!note || !pack) return;
    var left = pack.cards.filter(function (card) { return !card.done; }).length;
    note.textContent = "Ready to study offline: " + plural(left, "card", "cards") + " saved on this device.";
    note.hidden = false;
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to the pack's token */ }
    return pack ? pack.csrf_token : "";
  }

  // ---- the device's queue: which saved card comes next (the server's rules, on the pack) ----------------
  function dayOf(at) {
    for (var i = 0; i < pack.day_ends.length; i++) if (at < pack.day_ends[i]) return i;
    return pack.day_ends.length;
  }
  function answeredOn(day, bucket) {
    return pack.cards.filter(function (card) {
      return card.done && card.bucket === bucket && dayOf(card.done_at) === day;
    }).length;
  }
  function allowance(day, bucket) {
    var limits = pack.limits;
    var limit = bucket === "new" ? (day === 0 ? limits.new_left : limits.new_per_day)
      : (day === 0 ? limits.reviews_left : limits.reviews_per_day);
    return limit - answeredOn(day, bucket);
  }
  function buried(card, day) {
    if (!pack.bury_siblings || pack.buried_states.indexOf(card.state) < 0) return false;
    return pack.cards.some(function (other) {
      return other !== card && other.done && other.entry_id === card.entry_id && dayOf(other.done_at) === day;
    });
  }
  // Which part of the queue a saved card is in at time `at`, or null when it may not be shown then.
  function placeOf(card, at) {
    if (card.done || at - pack.generated_at > pack.max_age_ms) return null;
    var day = dayOf(at);
    if (day >= pack.day_ends.length || buried(card, day)) return null;
    if (card.bucket === "learning") {
      if (card.due <= at) return "learning";
      return card.due <= at + pack.learn_ahead_ms ? "ahead" : null;
    }
    return allowance(day, card.bucket) > 0 ? card.bucket : null;
  }
  // Learning cards due now, then reviews, then new cards in deck order, then learning cards due soon.
  function nextCard(at) {
    var best = {};
    pack.cards.forEach(function (card) {
      var place = placeOf(card, at);
      if (!place) return;
      if (place === "learning" || place === "ahead") {
        if (!best[place] || card.due < best[place].due) best[place] = card;
      } else if (!best[place]) {
        best[place] = card;
      }
    });
    return best.learning || best.review || best["new"] || best.ahead || null;
  }
  function leftInPack() {
    var at = Date.now();
    return pack ? pack.cards.filter(function (card) { return placeOf(card, at); }).length : 0;
  }
  // Cards answered here that the scheduler brings back today (a learning step): shown once online.
  function comingBack() {
    return pack.cards.filter(function (card) {
      if (!card.done) return false;
      var outcome = card.buttons[card.rating - 1];
      return outcome && outcome.state !== "review" && outcome.due < pack.day_ends[dayOf(card.done_at)];
    }).length;
  }

  function showCounts() {
    var at = Date.now();
    var day = dayOf(at);
    var counts = { "new": 0, learning: 0, review: 0 };
    pack.cards.forEach(function (card) {
      var place = placeOf(card, at);
      if (place) counts[place === "ahead" ? "learning" : place] += 1;
    });
    var done = (day === 0 ? pack.done_today : 0) + pack.cards.filter(function (card) {
      return card.done && dayOf(card.done_at) === day;
    }).length;
    var values = { "new": counts["new"], learning: counts.learning, review: counts.review, done: done };
    Object.keys(values).forEach(function (name) {
      document.querySelectorAll('#study-counts [data-count="' + name + '"]').forEach(function (element) {
        element.textContent = String(values[name]);
      });
    });
    var bar = document.querySelector("#study-counts progress");
    if (bar) {
      bar.max = Math.max(1, done + counts["new"] + counts.learning + counts.review);
      bar.value = done;
    }
  }

  // ---- showing saved cards and answering them here --------------------------------------------------------
  function undoButton(section) {
    if (!undoable.length) return;
    var form = document.createElement("form");
    form.className = "undo";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.setAttribute("data-hotkey", "u");
    button.setAttribute("aria-keyshortcuts", "U");
    button.setAttribute("data-offline-undo", "");
    button.appendChild(document.createTextNode("Undo last answer "));
    var key = document.createElement("kbd");
    key.textContent = "u";
    button.appendChild(key);
    form.appendChild(button);
    section.appendChild(form);
  }

  function replaceCard(section) {
    var old = document.getElementById("study-card");
    if (old) old.replaceWith(section); else if (root) root.appendChild(section);
  }

  function showCard(card) {
    var holder = document.createElement("div");
    holder.innerHTML = card.html; // our own server's HTML, rendered by the study page's template
    var section = holder.querySelector("#study-card");
    section.setAttribute("data-offline-card", String(card.card_id));
    var shown = section.querySelector('input[name="shown_at"]');
    if (shown) shown.value = String(Date.now());
    undoButton(section);
    replaceCard(section);
    var focus = section.querySelector(".show-answer");
    if (focus) focus.focus({ preventScroll: true });
  }

  function showEnd() {
    var section = document.createElement("section");
    section.id = "study-card";
    section.className = "study-card";
    section.setAttribute("aria-live", "polite");
    section.setAttribute("data-offline-card", "");
    var box = document.createElement("div");
    box.className = "empty-queue";
    var title = document.createElement("h2");
    title.textContent = "That's every card saved on this device for now";
    var text = document.createElement("p");
    var back = comingBack();
    text.textContent = (waiting.length ? "Your " + plural(waiting.length, "answer is", "answers are") + " sent when you're back online. " : "")
      + (back ? plural(back, "card comes", "cards come") + " back for another go then." : "");
    box.appendChild(title);
    box.appendChild(text);
    section.appendChild(box);
    undoButton(section);
    replaceCard(section);
  }

  function showNext() {
    if (!pack) return;
    var card = nextCard(Date.now());
    if (card) showCard(card); else showEnd();
    showCounts();
  }

  function findCard(cardId, version) {
    if (!pack) return null;
    for (var i = 0; i < pack.cards.length; i++) {
      var card = pack.cards[i];
      if (card.card_id === cardId && card.version === version) return card;
    }
    return null;
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function field(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? Number(input.value) : NaN;
  }

  // Keep an answer on the device with the time it was given; the card leaves the device's queue.
  function keepHere(form, rating, at) {
    var cardId = field(form, "card_id");
    var version = field(form, "version");
    if (!userId || !(rating >= 1 && rating <= 4) || isNaN(cardId) || isNaN(version)) return Promise.resolve();
    var card = findCard(cardId, version);
    var headword = card ? card.headword : ((document.querySelector("#study-card .headword") || {}).textContent || "");
    var shownAt = field(form, "shown_at");
    var answer = {
      id: newId(), user_id: userId, card_id: cardId, version: version, rating: rating, answered_at: at,
      shown_at: isNaN(shownAt) || shownAt <= 0 ? null : shownAt, headword: headword.trim()
    };
    if (card) {
      card.done = true;
      card.done_at = at;
      card.rating = rating;
    }
    waiting.push(answer);
    undoable.push(answer.id);
    return Promise.all([keepAnswer(answer), pack ? savePack(pack) : null]);
  }

  function undoHere() {
    var id = undoable.pop();
    var answer = waiting.filter(function (item) { return item.id === id; })[0];
    if (!answer) return;
    waiting = waiting.filter(function (item) { return item.id !== id; });
    var card = findCard(answer.card_id, answer.version);
    forgetAnswers([id]).then(function () {
      if (card) {
        card.done = false;
        delete card.done_at;
        delete card.rating;
        return savePack(pack);
      }
    }).then(function () {
      if (card) {
        showCard(card);
        showCounts();
      } else {
        showNext();
      }
      if (offline) offlineStatus();
    });
  }

  // ---- the network: the pack, the offline page, the sync -------------------------------------------------
  function fetchJson(url, options) {
    return window.fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {}))
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, ok: response.ok, body: body };
        });
      });
  }

  function cacheShell() {
    if (!window.caches) return null;
    return window.fetch(SHELL_PAGE, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !response.redirected) {
        return window.caches.open(PAGES_CACHE).then(function (cache) { return cache.put(SHELL_PAGE, response); });
      }
    });
  }

  function markReady() {
    var ready = worker && navigator.serviceWorker ? navigator.serviceWorker.ready : Promise.resolve();
    return ready.then(function () {
      document.documentElement.setAttribute("data-offline", "ready");
      readyNote();
    });
  }

  function storePack(fresh) {
    pack = fresh;
    return savePack(fresh);
  }

  var refreshing = null;
  function refresh() {
    if (refreshing || !worker) return refreshing || Promise.resolve();
    refreshing = fetchJson(PACK_URL).then(function (reply) {
      if (!reply.ok || reply.body.user_id !== userId) return;
      return storePack(reply.body).then(cacheShell).then(markReady);
    }).catch(function () { /* offline or server trouble: the pack we have stays */ })
      .then(function () { refreshing = null; });
    return refreshing;
  }

  function post(batch, retried) {
    var body = JSON.stringify({
      user_id: userId,
      answers: batch.map(function (a) {
        return { id: a.id, card_id: a.card_id, version: a.version, rating: a.rating, answered_at: a.answered_at, shown_at: a.shown_at };
      })
    });
    return fetchJson(SYNC_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body
    }).then(function (reply) {
      if (reply.status === 400 && reply.body.error === "csrf" && !retried) {
        // A token from an older session: a fresh one comes with a fresh pack.
        return fetchJson(PACK_URL).then(function (fresh) {
          if (fresh.ok && fresh.body.user_id === userId) pack = fresh.body;
          return post(batch, true);
        });
      }
      return reply;
    });
  }

  function sent(batch, reply) {
    var byId = {};
    batch.forEach(function (answer) { byId[answer.id] = answer; });
    var problems = [];
    (reply.body.results || []).forEach(function (result) {
      // Anything but a plain "Sent." is worth reading: not applied, refused, or a leech notice.
      if (result.result === "applied" && result.message === "Sent.") return;
      var answer = byId[result.id];
      problems.push((answer && answer.headword ? answer.headword + ": " : "") + result.message);
    });
    var ids = batch.map(function (answer) { return answer.id; });
    waiting = waiting.filter(function (answer) { return ids.indexOf(answer.id) < 0; });
    undoable = undoable.filter(function (id) { return ids.indexOf(id) < 0; });
    return forgetAnswers(ids).then(function () {
      if (reply.body.pack && reply.body.pack.user_id === userId) return storePack(reply.body.pack);
    }).then(function () {
      status(reply.body.summary || "Your answers were sent.", problems.length ? "warning" : "info", problems);
    });
  }

  function sendWaiting() {
    if (syncing) return syncing;
    if (!waiting.length || !userId) return Promise.resolve(true);
    status("Back online: sending " + plural(waiting.length, "answer", "answers") + "…");
    var batch = waiting.slice(0, BATCH);
    syncing = post(batch).then(function (reply) {
      if (reply.ok) return sent(batch, reply).then(function () { return waiting.length ? "more" : true; });
      var message = reply.body.message || "Your answers could not be sent just now (the server said " + reply.status + ").";
      status(message + " They stay on this device (" + waiting.length + " waiting).", "warning");
      return false;
    }, function () {
      if (offline) offlineStatus();
      return false;
    }).then(function (done) {
      syncing = null;
      return done === "more" ? sendWaiting() : done;
    });
    return syncing;
  }

  // Back to the server's study page: its next card in place of the saved ones.
  function backOnline() {
    offline = false;
    var section = document.getElementById("study-card");
    if (section && section.hasAttribute("data-offline-card") && window.htmx) {
      window.htmx.ajax("GET", "/study", { target: "#study-card", swap: "outerHTML" });
    }
  }

  function comeOnline() {
    if (!root) return;
    if (offline && !waiting.length) status("");
    sendWaiting().then(function (done) {
      if (done === true) {
        if (offline) backOnline();
        if (!pack || Date.now() - pack.generated_at > PACK_MAX_AGE_MS) refresh(); else markReady();
      }
    });
  }

  function goOffline() {
    if (!root || offline) return;
    offline = true;
    var note = document.getElementById("offline-ready");
    if (note) note.hidden = true; // the status says it now
    offlineStatus();
    showNext();
  }

  // ---- events ----------------------------------------------------------------------------------------------
  // A grade on a saved card (or any grade while offline) is kept here; online, htmx posts it as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!root || !form.matches) return;
    if (form.matches('form[action$="/logout"]')) {
      // Leaving this account: its saved cards and the offline page go; answers not sent yet stay (and
      // are sent when this learner logs in again).
      event.preventDefault();
      Promise.all([pack ? dropPack() : null, window.caches ? window.caches.delete(PAGES_CACHE) : null])
        .catch(function () {}).then(function () { form.submit(); });
      return;
    }
    if (!form.matches("form.grades")) return;
    var rating = Number(event.submitter ? event.submitter.value : NaN);
    if (!offline && !form.closest("[data-offline-card]")) {
      lastSubmit = { form: form, rating: rating, at: Date.now() };
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    keepHere(form, rating, Date.now()).then(function () {
      showNext();
      if (offline) offlineStatus();
      if (navigator.onLine) comeOnline();
    });
  }, true);

  document.addEventListener("click", function (event) {
    var undo = event.target.closest && event.target.closest("[data-offline-undo]");
    if (undo) {
      event.preventDefault();
      undoHere();
    }
  });

  // An answer posted online: its saved card is done; the network failing under it: keep it here.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.matches || !form.matches("form.grades") || !event.detail.successful || !pack) return;
    var card = findCard(field(form, "card_id"), field(form, "version"));
    if (card) {
      card.done = true;
      card.done_at = Date.now();
      card.rating = lastSubmit ? lastSubmit.rating : 3;
      savePack(pack).then(function () {
        if ((pack.full && leftInPack() < LOW_WATER) || Date.now() - pack.generated_at > PACK_MAX_AGE_MS) refresh();
      });
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (!root) return;
    var form = event.detail && event.detail.elt;
    var kept = Promise.resolve();
    if (form && form.matches && form.matches("form.grades") && lastSubmit && lastSubmit.form === form) {
      kept = keepHere(form, lastSubmit.rating, lastSubmit.at);
      lastSubmit = null;
    }
    kept.then(function () {
      offline = false; // show the next saved card even if it is the same page
      goOffline();
    });
  });

  window.addEventListener("offline", goOffline);
  window.addEventListener("online", comeOnline);
  // Not every browser says when the network comes back (Chromium may not, to a page it opened offline):
  // while answers wait or saved cards are shown, look now and then.
  window.setInterval(function () {
    if (root && navigator.onLine && (offline || waiting.length) && !syncing) comeOnline();
  }, RETRY_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && navigator.onLine && !offline && pack
      && Date.now() - pack.generated_at > PACK_MAX_AGE_MS) refresh();
  });

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return Promise.resolve(false);
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () { return true; },
      function () { return false; });
  }

  function start() {
    root = document.querySelector("[data-offline-user]");
    userId = root ? Number(root.getAttribute("data-offline-user")) : null;
    var registered = registerWorker();
    if (!root) return;
    Promise.all([registered, readPack(), readAnswers()]).then(function (found) {
      worker = found[0];
      pack = found[1] && found[1].user_id === userId ? found[1] : null;
      var all = found[2] || [];
      waiting = all.filter(function (a) { return a.user_id === userId; })
        .sort(function (a, b) { return a.answered_at - b.answered_at; });
      var others = all.length - waiting.length;
      if (others) status(plural(others, "answer", "answers") + " given in another account wait on this device: log in to that account to send them.", "warning");
      if (root.hasAttribute("data-offline-shell") || !navigator.onLine) {
        // The offline study page is served only when the network just failed: the "online" event and the
        // retry timer send what waits once it is back, rather than a request at once into a dead network.
        offline = false;
        goOffline();
      } else {
        comeOnline();
      }
    }).catch(function () { /* no storage (a private window may refuse it): the page works online */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
