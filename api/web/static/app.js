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
  // Auto-submit filter selects marked data-autosubmit.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
});
