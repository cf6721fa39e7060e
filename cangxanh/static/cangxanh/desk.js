/* The translation desk's boxes grow with their text, so a long paragraph is read
   whole beside its original. Browsers with CSS field-sizing do it themselves
   (editorial.css); elsewhere each box's height follows its text here. */
(function () {
  "use strict";

  if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) return;

  function fit(box) {
    box.style.height = "auto"; // shrink first: scrollHeight never reports less than the box
    // scrollHeight leaves the borders out, and the box is sized border-box.
    box.style.height = box.scrollHeight + (box.offsetHeight - box.clientHeight) + "px";
  }

  function fitAll() {
    document.querySelectorAll(".desk-table textarea").forEach(fit);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(".desk-table textarea")) fit(event.target);
  });
  // A narrower window wraps the lines again.
  window.addEventListener("resize", fitAll);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitAll);
  } else {
    fitAll();
  }
})();
