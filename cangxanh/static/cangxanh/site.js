/* Share buttons: copy link, the browser's share sheet, and apps without a share address. */
(function () {
  "use strict";
  var list = document.querySelector("[data-share-url]");
  if (!list) return;
  var url = list.getAttribute("data-share-url");
  var title = list.getAttribute("data-share-title");
  var status = document.querySelector(".share__status");
  var say = function (text) { if (status) status.textContent = text; };
  var copy = function (message) {
    var done = function () { say(message); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt("", url); });
    } else {
      var field = document.createElement("textarea");
      field.value = url; field.setAttribute("readonly", ""); field.style.position = "absolute"; field.style.left = "-9999px";
      document.body.appendChild(field); field.select();
      try { document.execCommand("copy"); done(); } catch (e) { window.prompt("", url); }
      document.body.removeChild(field);
    }
  };
  var canShare = typeof navigator.share === "function";
  if (canShare) {
    var native = list.querySelector(".share__native");
    if (native) native.hidden = false;
  }
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-share]");
    if (!button) return;
    var kind = button.getAttribute("data-share");
    if (kind === "copy") return copy(list.getAttribute("data-copied"));
    if (canShare) {
      navigator.share({ title: title, url: url }).catch(function () {});
    } else if (kind === "app") {
      copy(list.getAttribute("data-copied-app"));
    }
  });
})();
