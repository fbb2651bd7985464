// Huanying: small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // Sign-up: send the browser's timezone so "today" starts at 4:00 where the learner lives.
  function fillTimezone(root) {
    root.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
      try {
        input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      } catch (e) {
        input.value = "";
      }
    });
  }

  // A hotkey's element, if it is on screen: not inside something hidden (the answer before it is shown).
  function visibleHotkey(key) {
    var found = document.querySelectorAll('[data-hotkey="' + (key === '"' ? "" : key.toLowerCase()) + '"]');
    for (var i = 0; i < found.length; i++) {
      if (!found[i].closest("[hidden]") && !found[i].disabled) return found[i];
    }
    return null;
  }

  // Keyboard: space shows the answer, 1-4 grade, u undoes. Any element with data-hotkey is clickable.
  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key === "Spacebar" ? " " : event.key;
    if (key === "Enter" && visibleHotkey(" ")) key = " ";
    var element = visibleHotkey(key);
    if (!element) return;
    event.preventDefault();
    // A key pressed right after a swap can beat htmx to the new element: make sure it is wired first.
    if (window.htmx) window.htmx.process(element.closest("[hx-get],[hx-post]") || element);
    element.click();
  }

  // Speaker buttons: the browser's own speech synthesis, in a zh-CN voice when it has one.
  function chineseVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^zh[-_](CN|Hans)/i.test(voices[i].lang)) return voices[i];
    }
    for (var j = 0; j < voices.length; j++) {
      if (/^zh/i.test(voices[j].lang)) return voices[j];
    }
    return null;
  }

  function speak(button) {
    var note = button.parentElement.querySelector(".speak-note");
    var voice = chineseVoice();
    if (!voice) {
      if (note) {
        note.hidden = false;
        note.textContent = "This browser has no Chinese voice. Add one in your system's speech or language settings to hear it.";
      }
      return;
    }
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(button.getAttribute("data-speak"));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = button.getAttribute("data-rate") === "slow" ? 0.6 : 0.9;
    window.speechSynthesis.speak(utterance);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-speak]");
    if (button) {
      event.preventDefault();
      speak(button);
    }
  });
  if ("speechSynthesis" in window) window.speechSynthesis.getVoices();

  // Links to pass on: "Copy link" (the same feedback wherever it appears, in the status beside the button),
  // and "Share…", shown only where the browser has a share sheet (Web Share API).
  function copyNote(button, text) {
    var box = button.closest(".copy-box") || button.parentElement;
    var status = box && box.querySelector(".copy-note");
    if (status) status.textContent = text;
  }
  function copyLink(button) {
    var link = button.getAttribute("data-copy");
    var manual = function () { copyNote(button, "Copy this link: " + link); };
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext !== false) {
      navigator.clipboard.writeText(link).then(function () { copyNote(button, "Link copied."); }, manual);
    } else {
      manual();
    }
  }
  document.addEventListener("click", function (event) {
    var copy = event.target.closest && event.target.closest("[data-copy]");
    if (copy) {
      copyLink(copy);
      return;
    }
    var share = event.target.closest && event.target.closest("[data-share]");
    if (share && navigator.share) {
      navigator.share({ title: share.getAttribute("data-share-title") || document.title, url: share.getAttribute("data-share") })
        .catch(function () { /* the learner closed the share sheet */ });
    }
  });
  function showShare(root) {
    if (typeof navigator.share !== "function") return;
    root.querySelectorAll("[data-share][hidden]").forEach(function (button) { button.hidden = false; });
  }

  // The card's answer came with it: "Show answer" reveals it here, without asking the server again.
  function reveal(link) {
    var answer = document.getElementById(link.getAttribute("data-reveal"));
    if (!answer) return false;
    answer.hidden = false;
    link.setAttribute("aria-expanded", "true");
    link.hidden = true;
    var card = link.closest(".card");
    if (card) {
      card.setAttribute("data-side", "back");
      card.classList.remove("side-front");
      card.classList.add("side-back");
    }
    var grade = answer.querySelector(".grade.proposed, .grade-3");
    if (grade) grade.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-reveal]");
    if (link && reveal(link)) event.preventDefault();
  });

  // Tone drills by keyboard: 1-5 pick the tone of the current syllable and move to the next, Backspace
  // goes back one, Enter checks, p plays the word. The keys work wherever focus is on the card.
  function toneKeys(event) {
    var form = document.querySelector("#study-card .answer-tones");
    if (!form || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var groups = Array.prototype.slice.call(form.querySelectorAll("fieldset.tone-choice"));
    if (!groups.length) return;
    var current = form.querySelector("fieldset.tone-choice.current") || groups[0];
    var index = groups.indexOf(current);
    function moveTo(next) {
      current.classList.remove("current");
      var group = groups[Math.max(0, Math.min(groups.length - 1, next))];
      group.classList.add("current");
      var radio = group.querySelector("input:checked") || group.querySelector("input");
      if (radio) radio.focus({ preventScroll: true });
      return group;
    }
    if (/^[1-5]$/.test(event.key)) {
      var radio = current.querySelector('input[value="' + event.key + '"]');
      if (!radio) return;
      event.preventDefault();
      radio.checked = true;
      if (index < groups.length - 1) {
        moveTo(index + 1);
      } else {
        var check = form.querySelector('button[type="submit"]');
        if (check) check.focus({ preventScroll: true });
      }
    } else if (event.key === "Backspace" && (event.target.tagName !== "INPUT" || event.target.type === "radio")) {
      event.preventDefault();
      moveTo(index - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    } else if (event.key === "p" || event.key === "P") {
      var speaker = document.querySelector('#study-card [data-hotkey="p"]');
      if (speaker) {
        event.preventDefault();
        speaker.click();
      }
    }
  }
  function startTones(root) {
    var form = root.querySelector && root.querySelector(".answer-tones");
    if (!form) return;
    var first = form.querySelector("fieldset.tone-choice");
    if (first) first.classList.add("current");
  }

  document.addEventListener("keydown", toneKeys);
  document.addEventListener("keydown", onKey);
  // Wide charts (the year heatmap) open scrolled to today, at the right end, on narrow screens.
  function scrollChartsToToday(root) {
    root.querySelectorAll(".chart-scroll").forEach(function (box) { box.scrollLeft = box.scrollWidth; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fillTimezone(document);
    startTones(document);
    showShare(document);
    scrollChartsToToday(document);
  });
  // The sticky header's height, so that scrolling to something (htmx's show:, a link to #id) stops below it.
  function measureHeader() {
    var header = document.querySelector(".site-header");
    if (header) document.documentElement.style.setProperty("--header-height", header.offsetHeight + "px");
  }
  window.addEventListener("resize", measureHeader);
  document.addEventListener("DOMContentLoaded", measureHeader);
  document.addEventListener("htmx:afterSwap", function (event) {
    fillTimezone(event.target);
    startTones(document);
    // Name suggestions: keyboard users carry on from the list (it was scrolled into view by hx-swap's show:).
    var suggestions = document.getElementById("suggestions");
    if (suggestions && event.target.id === "name-step" && suggestions.querySelector(".suggestion")) {
      suggestions.focus({ preventScroll: true });
    }
    var card = document.getElementById("study-card");
    if (card) {
      var focusable = card.querySelector(".show-answer, .answer-input, .grade.proposed, .grade-3");
      if (focusable) focusable.focus({ preventScroll: true });
    }
  });
})();

// Teaching: a button with data-fill-target puts its data-fill-value into that field: the deck editor's
// CC-CEDICT glosses go into the meaning (added after what is there), "Use it" replaces the pinyin.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fill-target]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-fill-target"));
    if (!field) return;
    event.preventDefault();
    var value = button.getAttribute("data-fill-value") || "";
    var current = field.value.trim();
    if (button.getAttribute("data-fill-mode") === "replace" || !current) {
      field.value = value;
    } else if (current.split(/\s*;\s*/).indexOf(value) === -1) {
      field.value = current.replace(/[;\s]+$/, "") + "; " + value;
    }
    button.setAttribute("aria-pressed", "true");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  });
})();

// The reader: a word opens its card beside the text (a sheet on phones) as an htmx fragment; Escape or ✕
// closes it and puts the focus back on the word. Without JavaScript each word is a link to its card's page.
(function () {
  "use strict";
  var last = null;

  function card() { return document.getElementById("word-card"); }

  function close() {
    var box = card();
    if (!box || !box.classList.contains("open")) return false;
    box.classList.remove("open");
    if (last) {
      last.removeAttribute("aria-current");
      last.focus();
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#reader-text a.w");
    if (link && window.htmx && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button)) {
      event.preventDefault();
      if (last) last.removeAttribute("aria-current");
      last = link;
      link.setAttribute("aria-current", "true");
      window.htmx.ajax("GET", link.getAttribute("href"), { target: "#word-card", swap: "innerHTML" }).then(function () {
        var box = card();
        box.classList.add("open");
        var title = box.querySelector("#word-title");
        if (title) title.focus({ preventScroll: !window.matchMedia("(max-width: 59.99rem)").matches });
      });
      return;
    }
    if (event.target.closest && event.target.closest("[data-close-word]")) {
      event.preventDefault();
      close();
      return;
    }
    // The bookmarklet only works from the bookmarks bar (and this page's CSP would refuse it here).
    var bookmarklet = event.target.closest && event.target.closest("a.bookmarklet");
    if (bookmarklet) {
      event.preventDefault();
      bookmarklet.textContent = "Drag me to your bookmarks bar";
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && close()) event.preventDefault();
  });

  // A word kept: every place it occurs in the text is now "learning", and the counts follow.
  document.body && document.body.addEventListener("reader-word-added", function (event) {
    var key = event.detail && event.detail.key;
    if (!key) return;
    var changed = false;
    document.querySelectorAll("#reader-text a.w.w-new").forEach(function (word) {
      if (word.getAttribute("data-key") === key) {
        word.classList.remove("w-new");
        word.classList.add("w-learning");
        changed = true;
      }
    });
    if (changed) {
      var counts = document.querySelector("[data-counts]");
      var fresh = counts && counts.querySelector('[data-count="new"]');
      var learning = counts && counts.querySelector('[data-count="learning"]');
      if (fresh && learning) {
        fresh.textContent = (parseInt(fresh.textContent, 10) - 1) + " new to you";
        learning.textContent = (parseInt(learning.textContent, 10) + 1) + " learning";
      }
    }
  });

  // The bookmarklet sends the selected text in the address's fragment (#text=...&title=...&url=...), which
  // never reaches the server: put it into the reader's box.
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("text");
    if (!box || !location.hash || location.hash.indexOf("text=") === -1) return;
    var params = new URLSearchParams(location.hash.slice(1));
    var text = params.get("text") || "";
    var url = params.get("url") || "";
    box.value = text;
    var title = document.getElementById("title");
    var source = document.getElementById("source_url");
    if (title && params.get("title")) title.value = params.get("title").slice(0, 120);
    if (source && /^https?:\/\//.test(url)) source.value = url.slice(0, 500);
    history.replaceState(null, "", location.pathname + location.search);
    box.focus();
  });
})();
