// chuyenhoa: small progressive enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Focus the first field with an error so keyboard and screen-reader
  // users land on it after the server re-renders a form.
  var bad = document.querySelector("[aria-invalid=true]");
  if (bad) { bad.focus(); }
  // Ask before an action marked data-confirm (return, reject…).
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
  // Send a POST form once: a second click on a slow line is ignored, and
  // the buttons are disabled once the browser has taken the first one
  // (after the submit event, so the clicked button's value is still sent).
  document.querySelectorAll("form[method=post]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (ev.defaultPrevented) { return; }
      if (f.getAttribute("data-sending") === "1") { ev.preventDefault(); return; }
      f.setAttribute("data-sending", "1");
      window.setTimeout(function () {
        f.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.setAttribute("aria-busy", "true");
        });
      }, 0);
    });
  });
  // A page restored from the back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function (ev) {
    if (!ev.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (f) {
      f.removeAttribute("data-sending");
      f.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
    });
  });
  // Auto-submit filter selects marked data-autosubmit.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
});
