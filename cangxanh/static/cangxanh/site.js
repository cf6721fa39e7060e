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

/* Text size: a percentage of the browser's own size on the root, so every rem follows and the
   reader's zoom still applies. Kept in localStorage; early.js applies it before first paint. */
(function () {
  "use strict";
  var group = document.querySelector("[data-text-size]");
  if (!group) return;
  var KEY = "cangxanh.textSize";
  var root = document.documentElement;
  var buttons = Array.prototype.slice.call(group.querySelectorAll("button[data-size]"));
  var show = function (size) {
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-size") === size));
    });
  };
  var current = root.style.fontSize ? root.style.fontSize.replace("%", "") : "100";
  show(buttons.some(function (b) { return b.getAttribute("data-size") === current; }) ? current : "100");
  group.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-size]");
    if (!button) return;
    var size = button.getAttribute("data-size");
    root.style.fontSize = size === "100" ? "" : size + "%";
    try {
      if (size === "100") window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, size);
    } catch (e) { /* not kept, but applied to this page */ }
    show(size);
  });
})();

/* Print: the button opens the browser's print dialog, and the printed page says when it was
   printed, written like the page's other dates (the Django format and time zone it carries).
   The server writes no time (the page is one cached copy for everyone): the note's dated
   wording waits in data-print-note, and the time is put in on load and again as it prints. */
(function () {
  "use strict";
  var stamp = document.querySelector("[data-print-note]");
  var format = function (date, pattern, zone, lang) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    var hour = Number(parts.hour) % 24;
    var two = function (n) { return (Number(n) < 10 ? "0" : "") + Number(n); };
    var month = new Intl.DateTimeFormat(lang, { timeZone: zone, month: "long" }).format(date);
    var tokens = {
      d: two(parts.day), j: String(Number(parts.day)), m: two(parts.month),
      n: String(Number(parts.month)), F: month, Y: parts.year, H: two(hour), i: parts.minute,
      g: String(hour % 12 || 12), A: hour < 12 ? "AM" : "PM"
    };
    return pattern.replace(/\\(.)|[djmnFYHigA]/g, function (match, escaped) {
      return escaped || tokens[match];
    });
  };
  var fill = function () {
    if (!stamp) return;
    try {
      var when = format(new Date(), stamp.getAttribute("data-date-format"),
        stamp.getAttribute("data-time-zone") || undefined, document.documentElement.lang);
      stamp.textContent = stamp.getAttribute("data-print-note").replace("%(date)s", when);
    } catch (e) { /* an old browser: the note without a time stays */ }
  };
  fill();
  window.addEventListener("beforeprint", fill);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      fill();
      window.print();
    }
  });
})();

/* Most read: the three period lists become tabs (WAI-ARIA tabs pattern, automatic activation).
   Without this script they stand one after another, each under its own heading. */
(function () {
  "use strict";
  var box = document.querySelector("[data-tabs]");
  if (!box) return;
  var panels = Array.prototype.slice.call(box.querySelectorAll("[data-tab-panel]"));
  if (panels.length < 2) return;
  var list = document.createElement("div");
  list.className = "tabs__list";
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-labelledby", box.getAttribute("aria-labelledby"));
  var tabs = panels.map(function (panel) {
    var heading = panel.querySelector("[data-tab-label]");
    var tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tabs__tab";
    tab.id = panel.id + "-tab";
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    tab.textContent = heading.textContent;
    heading.hidden = true;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    list.appendChild(tab);
    return tab;
  });
  var select = function (index, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) tabs[index].focus();
  };
  var first = panels.findIndex(function (panel) { return panel.hasAttribute("data-selected"); });
  select(first < 0 ? 0 : first, false);
  panels[0].parentNode.insertBefore(list, panels[0]);
  box.classList.add("is-tabbed");
  list.addEventListener("click", function (event) {
    var tab = event.target.closest("[role=tab]");
    if (tab) select(tabs.indexOf(tab), true);
  });
  list.addEventListener("keydown", function (event) {
    var index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select((next + tabs.length) % tabs.length, true);
  });
})();

/* Where the section menu still scrolls sideways (a browser without ResizeObserver, for which
   the "More" below stays off), browsers only scroll a focused link into view when it is wholly
   hidden: bring a half-hidden one fully into sight as well. */
(function () {
  "use strict";
  var menu = document.querySelector(".sections ul");
  if (!menu) return;
  menu.addEventListener("focusin", function (event) {
    if (menu.scrollWidth > menu.clientWidth) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });
})();

/* The section menu keeps to one row: the entries that do not fit move, from the end, into the
   list under "More" (a disclosure button), and back as room comes (a wider window, a smaller
   text size). Home always stays on the row. */
(function () {
  "use strict";
  var menu = document.querySelector(".sections > ul");
  var more = menu && menu.querySelector(".sections__more");
  if (!more || typeof window.ResizeObserver !== "function") return;
  var button = more.querySelector("button");
  var panel = more.querySelector("ul");
  var items = Array.prototype.slice.call(menu.children).filter(function (li) { return li !== more; });
  var setOpen = function (open) {
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
  };
  var fits = function () {
    var last = more.hidden ? items[items.length - 1] : more;
    var end = menu.getBoundingClientRect().right - parseFloat(getComputedStyle(menu).paddingRight);
    return last.getBoundingClientRect().right <= end + 0.5;
  };
  var fit = function () {
    var active = menu.contains(document.activeElement) ? document.activeElement : null;
    setOpen(false);
    items.forEach(function (li) { menu.insertBefore(li, more); });
    more.hidden = true;
    if (!fits()) {
      more.hidden = false;
      for (var i = items.length - 1; i > 0 && !fits(); i--) {
        panel.insertBefore(items[i], panel.firstChild);
      }
    }
    button.classList.toggle("is-current", !!panel.querySelector("[aria-current]"));
    menu.classList.add("is-fitted");
    if (active && document.activeElement !== active) (panel.contains(active) ? button : active).focus();
  };
  var size = "";
  var refit = function () {
    var now = menu.clientWidth + "x" + menu.clientHeight;
    if (now !== size) { size = now; fit(); }
  };
  refit();
  new window.ResizeObserver(refit).observe(menu);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  more.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  more.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !more.contains(event.relatedTarget)) setOpen(false);
  });
  document.addEventListener("click", function (event) {
    if (!more.contains(event.target)) setOpen(false);
  });
})();
