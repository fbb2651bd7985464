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

  // Keyboard: space shows the answer, 1-4 grade, u undoes. Any element with data-hotkey is clickable.
  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key === "Spacebar" ? " " : event.key;
    if (key === "Enter" && document.querySelector('[data-hotkey=" "]')) key = " ";
    var element = document.querySelector('[data-hotkey="' + (key === '"' ? "" : key.toLowerCase()) + '"]');
    if (!element || element.disabled) return;
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

  // Share pages: copy the link, and the phone's own share sheet (Web Share API) where there is one.
  function note(button, text) {
    var status = button.parentElement.querySelector(".copy-note");
    if (status) status.textContent = text;
  }
  document.addEventListener("click", function (event) {
    var copy = event.target.closest && event.target.closest("[data-copy]");
    if (copy) {
      var link = copy.getAttribute("data-copy");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(function () { note(copy, "Link copied."); },
          function () { note(copy, "Copy this link: " + link); });
      } else {
        note(copy, "Copy this link: " + link);
      }
      return;
    }
    var share = event.target.closest && event.target.closest("[data-share]");
    if (share && navigator.share) {
      navigator.share({ title: share.getAttribute("data-share-title") || document.title, url: share.getAttribute("data-share") })
        .catch(function () { /* the learner closed the share sheet */ });
    }
  });
  function showShare(root) {
    if (!navigator.share) return;
    root.querySelectorAll("[data-share][hidden]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("keydown", onKey);
  // Wide charts (the year heatmap) open scrolled to today, at the right end, on narrow screens.
  function scrollChartsToToday(root) {
    root.querySelectorAll(".chart-scroll").forEach(function (box) { box.scrollLeft = box.scrollWidth; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fillTimezone(document);
    showShare(document);
    scrollChartsToToday(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    fillTimezone(event.target);
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
