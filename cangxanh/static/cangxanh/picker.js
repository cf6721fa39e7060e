/* The picture picker (editorial/picker.py): hands the chosen picture's address, alt
 * text and caption back to the editor's picture dialog that opened this window. */
(function () {
  "use strict";
  var root = document.querySelector(".picker");
  if (!root) return;
  var func = root.dataset.func;
  var opener = window.opener;

  function give(node) {
    var details = {
      id: node.dataset.id,
      alternative_text: node.dataset.alt,
      caption: node.dataset.caption
    };
    if (opener && func && opener.CKEDITOR && opener.CKEDITOR.tools) {
      opener.CKEDITOR.tools.callFunction(Number(func), node.dataset.src, details);
      window.close();
      return;
    }
    // Opened on its own: show the address to copy.
    var note = root.querySelector(".picker__noopener");
    note.hidden = false;
    note.querySelector("input").value = node.dataset.src;
    note.querySelector("input").select();
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick]");
    if (button) give(button);
  });
  var chosen = root.querySelector("[data-chosen]");
  if (chosen && opener && func) give(chosen);
})();
