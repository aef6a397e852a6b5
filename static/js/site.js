// Behaviour shared by every page. Loaded as a file so that the Content-Security-Policy can
// refuse inline scripts (script-src 'self').
(function () {
  "use strict";
  // <form data-confirm="question">: ask before submitting (withdraw a case, decide a step).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
