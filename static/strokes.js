// Huanying: stroke order with hanzi-writer (static/vendor/hanzi-writer/, copied from npm by the Makefile).
// <div class="strokes" data-chars="你好" data-src="/static/vendor/hanzi-writer/data/"> becomes one tile per
// character with Play (animated stroke order), Quiz (the learner writes it) and Reset. Built when its
// <details> is opened, also inside fragments swapped in by htmx. No inline styles or scripts (CSP): colours
// come from CSS custom properties, sizes from the container's width, character data from our own origin.
(function () {
  "use strict";

  var HAN = /^\p{Script=Han}$/u;
  var QUIET = /^[\p{P}\p{Z}\p{M}\p{Cf}\s]+$/u; // punctuation and spaces: skipped without a note
  var COLORS = {
    strokeColor: ["--stroke-ink", "#333333"],
    radicalColor: ["--stroke-radical", "#c03030"],
    outlineColor: ["--stroke-outline", "#dddddd"],
    highlightColor: ["--stroke-highlight", "#3366cc"],
    drawingColor: ["--stroke-drawing", "#777777"]
  };
  var dataCache = {};

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // hanzi-writer only understands #rgb, #rrggbb and rgb()/rgba(): let the browser resolve our variables.
  function readColors(root) {
    var probe = document.createElement("span");
    probe.hidden = true;
    root.appendChild(probe);
    var colors = {};
    Object.keys(COLORS).forEach(function (name) {
      probe.style.color = "var(" + COLORS[name][0] + ", " + COLORS[name][1] + ")";
      var value = window.getComputedStyle(probe).color;
      colors[name] = /^rgba?\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*(,\s*[\d.]+\s*)?\)$/.test(value) ? value : COLORS[name][1];
    });
    probe.remove();
    return colors;
  }

  function graphemes(text) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter("zh", { granularity: "grapheme" }).segment(text), function (s) {
        return s.segment;
      });
    }
    return Array.from(text);
  }

  // The characters to draw (each once, in order) and the ones we have no strokes for (letters, digits, emoji).
  function split(text) {
    var chars = [];
    var skipped = [];
    graphemes(text || "").forEach(function (g) {
      if (HAN.test(g)) {
        if (chars.indexOf(g) < 0) chars.push(g);
      } else if (!QUIET.test(g) && skipped.indexOf(g) < 0) {
        skipped.push(g);
      }
    });
    return { chars: chars, skipped: skipped };
  }

  function loadData(base, char) {
    var url = base + encodeURIComponent(char) + ".json";
    if (!dataCache[url]) {
      dataCache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("no stroke data for " + char);
        return response.json();
      });
      dataCache[url].catch(function () {
        delete dataCache[url];
      });
    }
    return dataCache[url];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function setState(tile, state, message) {
    tile.setAttribute("data-state", state);
    tile.querySelector(".stroke-status").textContent = message || "";
    tile.querySelectorAll("button").forEach(function (button) {
      button.disabled = state === "loading";
    });
  }

  function play(tile) {
    var token = ++tile.token;
    setState(tile, "playing", "Watch the order…");
    tile.writer.animateCharacter({
      onComplete: function (result) {
        if (token !== tile.token || (result && result.canceled)) return;
        setState(tile, "played", plural(tile.strokeCount, "stroke"));
      }
    });
  }

  function quiz(tile) {
    var token = ++tile.token;
    var total = tile.strokeCount;
    var mistakes = 0;
    function progress(done) {
      return "Write stroke " + Math.min(done + 1, total) + " of " + total +
        (mistakes ? " · " + plural(mistakes, "mistake") : "");
    }
    tile.setAttribute("data-mistakes", "0");
    setState(tile, "quiz", progress(0));
    tile.writer.quiz({
      highlightCompleteColor: tile.colors.highlightColor,
      onMistake: function (data) {
        if (token !== tile.token) return;
        mistakes = data.totalMistakes;
        tile.setAttribute("data-mistakes", String(mistakes));
        tile.querySelector(".stroke-status").textContent = progress(data.strokeNum) +
          (data.mistakesOnStroke >= 3 ? " · follow the hint" : "");
      },
      onCorrectStroke: function (data) {
        if (token !== tile.token) return;
        tile.querySelector(".stroke-status").textContent = progress(data.strokeNum + 1);
      },
      onComplete: function (summary) {
        if (token !== tile.token) return;
        tile.setAttribute("data-mistakes", String(summary.totalMistakes));
        setState(tile, "quiz-done", "Well done! " +
          (summary.totalMistakes ? plural(summary.totalMistakes, "mistake") + "." : "No mistakes."));
      }
    });
  }

  function reset(tile) {
    ++tile.token;
    tile.writer.cancelQuiz();
    tile.writer.showCharacter({ duration: reducedMotion() ? 0 : 200 });
    setState(tile, "ready", plural(tile.strokeCount, "stroke"));
  }

  function tileSize(container, count) {
    var width = container.clientWidth || 320;
    var gap = 12;
    var perRow = Math.max(1, Math.min(count, 3, Math.floor((width + gap) / (136 + gap)))); // two a row on a phone
    var size = Math.floor((width - gap * (perRow - 1)) / perRow) - 2; // 2: the tile's border
    return Math.max(120, Math.min(size, count === 1 ? 260 : 220));
  }

  function buildTile(container, char, size, colors, base, onReady) {
    var tile = element("figure", "stroke-char");
    tile.setAttribute("data-char", char);
    tile.token = 0;
    tile.colors = colors;
    var target = element("div", "stroke-target");
    target.setAttribute("role", "img");
    target.setAttribute("aria-label", "Stroke order of " + char);
    var caption = element("figcaption", "stroke-caption");
    var buttons = element("div", "stroke-buttons");
    [["play", "Play", play], ["quiz", "Quiz", quiz], ["reset", "Reset", reset]].forEach(function (spec) {
      var button = element("button", "button subtle small stroke-" + spec[0], spec[1]);
      button.type = "button";
      button.setAttribute("data-action", spec[0]);
      button.setAttribute("aria-label", spec[1] + " " + char);
      button.addEventListener("click", function () {
        if (tile.writer) spec[2](tile);
      });
      buttons.appendChild(button);
    });
    var status = element("p", "stroke-status");
    status.setAttribute("role", "status");
    caption.appendChild(buttons);
    caption.appendChild(status);
    tile.appendChild(target);
    tile.appendChild(caption);
    container.appendChild(tile);
    setState(tile, "loading", "Loading…");

    var options = {
      width: size,
      height: size,
      padding: Math.round(size * 0.07),
      showOutline: true,
      showCharacter: true,
      strokeAnimationSpeed: 1.2,
      delayBetweenStrokes: 250,
      strokeFadeDuration: reducedMotion() ? 0 : 300,
      charDataLoader: function (ch, onLoad, onError) {
        loadData(base, ch).then(onLoad, onError);
      },
      onLoadCharDataSuccess: function (data) {
        tile.strokeCount = data.strokes.length;
        tile.setAttribute("data-strokes", String(tile.strokeCount));
        setState(tile, "ready", plural(tile.strokeCount, "stroke"));
        onReady(tile);
      },
      onLoadCharDataError: function () {
        tile.writer = null;
        target.remove();
        tile.querySelector(".stroke-buttons").remove();
        setState(tile, "missing", "No stroke data for " + char + ".");
      }
    };
    Object.keys(colors).forEach(function (name) {
      options[name] = colors[name];
    });
    tile.writer = window.HanziWriter.create(target, char, options);
    return tile;
  }

  function build(container) {
    if (container.hasAttribute("data-state")) return;
    container.setAttribute("data-state", "building");
    var parts = split(container.getAttribute("data-chars"));
    if (!window.HanziWriter) {
      container.appendChild(element("p", "strokes-note", "Stroke order could not be loaded."));
      container.setAttribute("data-state", "unavailable");
      return;
    }
    var base = container.getAttribute("data-src") || "";
    var colors = readColors(container);
    var autoplay = !reducedMotion();
    var tiles = element("div", "stroke-tiles");
    container.appendChild(tiles);
    var size = tileSize(tiles, parts.chars.length); // the tiles' row has no padding: its width is all ours
    parts.chars.forEach(function (char, index) {
      buildTile(tiles, char, size, colors, base, function (tile) {
        if (autoplay && index === 0) play(tile); // the first character, once, when the section opens
      });
    });
    if (parts.skipped.length) {
      container.appendChild(element("p", "strokes-note",
        "No stroke order for " + parts.skipped.join(" ") + " (not a Chinese character)."));
    }
    if (parts.chars.length) {
      container.appendChild(element("p", "strokes-note",
        "Radical in colour. Quiz: write the strokes in order with your finger or mouse."));
    }
    container.setAttribute("data-state", "ready");
  }

  function isHidden(container) {
    var details = container.closest("details");
    return details && !details.open;
  }

  function scan(root) {
    if (!root || !root.querySelectorAll) return;
    var found = root.matches && root.matches(".strokes") ? [root] : [];
    root.querySelectorAll(".strokes").forEach(function (c) { found.push(c); });
    found.forEach(function (container) {
      if (!isHidden(container)) build(container);
    });
  }

  // Opening a <details> builds the stroke order inside it (toggle does not bubble: listen while capturing).
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS" && details.open) scan(details);
  }, true);

  // Colours follow the system's light or dark mode while the page is open.
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    var recolor = function () {
      document.querySelectorAll(".strokes[data-state=ready]").forEach(function (container) {
        var colors = readColors(container);
        container.querySelectorAll(".stroke-char").forEach(function (tile) {
          tile.colors = colors;
          if (!tile.writer || tile.getAttribute("data-state") === "loading") return;
          Object.keys(colors).forEach(function (name) {
            tile.writer.updateColor(name, colors[name], { duration: 0 });
          });
        });
      });
    };
    if (scheme.addEventListener) scheme.addEventListener("change", recolor);
  }

  document.addEventListener("htmx:load", function (event) { scan(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
})();
