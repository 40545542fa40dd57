// Progressive enhancement for the contact form; the server stays the authority.
(function () {
  "use strict";
  // After a refused submission, bring keyboard and screen-reader users to the error summary.
  var alert = document.getElementById("form-alert");
  if (alert) {
    alert.focus();
  }
})();
