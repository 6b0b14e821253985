/**
 * The desk's only JavaScript, a few lines served as a file (the CSP allows no inline script):
 * parts marked data-refresh are re-fetched every few seconds and swapped in when they changed,
 * so a phone booking shows up without a reload; on the token display, a changed "now serving"
 * token is spoken when the screen's speech box is ticked (Web Speech API).
 */
export const DESK_SCRIPT = `"use strict";
(function () {
  function speak(text) {
    if (!("speechSynthesis" in window)) return;
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "en-IN";
    window.speechSynthesis.speak(u);
  }
  // "KR-12" is said "Token K R 12": letters one by one, as the phone line says them.
  function spoken(token) {
    var parts = token.split("-");
    return "Token " + parts[0].split("").join(" ") + " " + parts[1];
  }
  function serving(el) {
    var out = {};
    el.querySelectorAll("[data-serving]").forEach(function (n) { out[n.getAttribute("data-doctor")] = n.getAttribute("data-serving"); });
    return out;
  }
  document.querySelectorAll("[data-refresh]").forEach(function (el) {
    var src = el.getAttribute("data-refresh");
    var every = Number(el.getAttribute("data-interval")) || 3000;
    var busy = false;
    setInterval(function () {
      if (busy || (document.activeElement && el.contains(document.activeElement) && document.activeElement.tagName !== "BUTTON")) return;
      busy = true;
      fetch(src, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) {
          if (r.status === 401) { location.reload(); return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html === null || html === el.innerHTML) return;
          var before = serving(el);
          el.innerHTML = html;
          var after = serving(el);
          var box = document.getElementById("speak");
          if (box && box.checked) {
            Object.keys(after).forEach(function (d) {
              if (after[d] && after[d] !== before[d]) speak(spoken(after[d]) + ". " + (el.querySelector('[data-doctor="' + d + '"] h2') || {}).textContent);
            });
          }
          el.setAttribute("data-updated", String(Date.now()));
        })
        .catch(function () {})
        .then(function () { busy = false; });
    }, every);
  });
})();
`;
