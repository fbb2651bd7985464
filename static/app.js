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

  document.addEventListener("keydown", onKey);
  document.addEventListener("DOMContentLoaded", function () { fillTimezone(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    fillTimezone(event.target);
    var card = document.getElementById("study-card");
    if (card) {
      var focusable = card.querySelector(".show-answer, .grade-3");
      if (focusable) focusable.focus({ preventScroll: true });
    }
  });
})();
