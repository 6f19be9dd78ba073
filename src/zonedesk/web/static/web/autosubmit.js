// A <select data-autosubmit> sends its form as soon as it changes (the zone pickers): a static file,
// not an inline onchange handler, so the Content-Security-Policy can forbid inline script.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var field = e.target;
    if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
  });
})();
