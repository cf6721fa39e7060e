/* The rich-text editor's toolbar in the user's language.
 *
 * django-prose-editor passes its dialogs through window.gettext (Django's
 * JavaScript catalog, which includes ours: locale/<lang>/LC_MESSAGES/djangojs.po),
 * but writes its toolbar buttons' titles and labels in English. This puts them
 * through the same catalog as the editor builds them. */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, args) {
    return format.replace("%s", args[0]);
  };
  var done = new WeakSet();

  function translated(text) {
    var heading = /^heading (\d)$/.exec(text);
    return heading ? interpolate(gettext("heading %s"), [heading[1]]) : gettext(text);
  }

  function translate(root) {
    root.querySelectorAll(".prose-menubar *").forEach(function (node) {
      if (done.has(node)) return;
      done.add(node);
      if (node.title) node.title = translated(node.title);
      if (node.hasAttribute("aria-label")) {
        node.setAttribute("aria-label", translated(node.getAttribute("aria-label")));
      }
      // Words shown in menus (never an icon's ligature name, which draws the icon).
      if (!node.children.length && !node.classList.contains("material-icons")) {
        var text = node.textContent.trim();
        if (text && translated(text) !== text) node.textContent = translated(text);
      }
    });
  }

  function start() {
    translate(document);
    new MutationObserver(function () { translate(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
