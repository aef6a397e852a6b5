// Show a problem's note only when "problem found" is chosen; the note stays in the form so
// nothing typed is lost when the choice changes back.
(function () {
  "use strict";
  document.querySelectorAll(".patrol-form [data-item]").forEach(function (row) {
    var note = row.querySelector(".problem-note");
    if (!note) return;
    function sync() {
      var chosen = row.querySelector("input[type=radio]:checked");
      var hasError = note.querySelector(".invalid-feedback");
      note.hidden = !(chosen && chosen.value === "problem") && !hasError;
    }
    row.addEventListener("change", sync);
    sync();
  });
})();
