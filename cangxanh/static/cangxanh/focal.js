/* Focal point picker in the image admin: a click on the picture sets the point
   every crop keeps, and a preview shows the 16:9 crop it gives. The two number
   inputs stay the truth and work without this script. */
(function () {
  "use strict";

  function percent(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) ? 50 : Math.min(100, Math.max(0, value));
  }

  // object-position (in %) of a cover-fitted picture whose crop is centred on
  // the focal point and kept inside the picture, as the renditions are cut.
  function offset(focal, visible) {
    if (visible >= 1) return 50;
    var start = Math.min(1 - visible, Math.max(0, focal / 100 - visible / 2));
    return (start / (1 - visible)) * 100;
  }

  function setUp(picker) {
    var x = document.getElementById(picker.dataset.focalX);
    var y = document.getElementById(picker.dataset.focalY);
    var file = document.getElementById(picker.dataset.file);
    var frame = picker.querySelector(".focal__frame");
    var image = picker.querySelector(".focal__image");
    var dot = picker.querySelector(".focal__dot");
    var cropBox = picker.querySelector(".focal__crop");
    var crop = cropBox.querySelector("img");
    if (!x || !y || !image) return;

    function show() {
      var fx = percent(x), fy = percent(y);
      dot.style.left = fx + "%";
      dot.style.top = fy + "%";
      dot.hidden = false;
      if (!image.naturalWidth) return;
      var ratio = image.naturalWidth / image.naturalHeight, box = 16 / 9;
      crop.src = image.currentSrc || image.src;
      crop.style.objectPosition =
        offset(fx, Math.min(1, box / ratio)) + "% " + offset(fy, Math.min(1, ratio / box)) + "%";
      cropBox.hidden = false;
    }

    image.addEventListener("click", function (event) {
      var rect = image.getBoundingClientRect();
      x.value = Math.round(((event.clientX - rect.left) / rect.width) * 100);
      y.value = Math.round(((event.clientY - rect.top) / rect.height) * 100);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    image.addEventListener("load", show);
    if (file) {
      file.addEventListener("change", function () {
        if (!file.files || !file.files[0]) return;
        ["srcset", "width", "height"].forEach(function (name) { image.removeAttribute(name); });
        image.src = URL.createObjectURL(file.files[0]);
        frame.hidden = false;
      });
    }
    if (image.complete) show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal]").forEach(setUp);
  });
})();
