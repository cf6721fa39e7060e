/* Runs before the page is drawn (a blocking script at the top of <body>): says that scripts
   run, so controls that need them can show, and applies the reader's chosen text size at
   once instead of after a jump. The size is a percentage of the browser's own font size. */
(function (root) {
  "use strict";
  root.className += " js";
  try {
    var size = window.localStorage.getItem("cangxanh.textSize");
    if (size === "112.5" || size === "125" || size === "150") root.style.fontSize = size + "%";
  } catch (e) { /* storage refused (private mode, policy): the default size */ }
})(document.documentElement);
