// Material checklists on service pages: ticks are kept only in this browser (localStorage),
// under one key; nothing is sent anywhere.
(function () {
  var KEY = "guide:ticks";
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(ticks) {
    try { localStorage.setItem(KEY, JSON.stringify(ticks)); } catch (e) { /* storage disabled */ }
  }
  function init() {
    var boxes = document.querySelectorAll("input[data-guide-tick]");
    if (!boxes.length) return;
    var ticks = load();
    boxes.forEach(function (box) {
      var id = box.getAttribute("data-guide-tick");
      box.checked = ticks[id] === true;
      box.addEventListener("change", function () {
        var now = load();
        if (box.checked) { now[id] = true; } else { delete now[id]; }
        save(now);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// Home page steps start collapsed (GOV.UK step-by-step research); one button opens or closes all.
(function () {
  function init() {
    var list = document.querySelector("[data-guide-steps]");
    if (!list || list.previousElementSibling && list.previousElementSibling.hasAttribute("data-guide-toggle")) return;
    var steps = list.querySelectorAll("details");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button guide-steps__toggle";
    button.setAttribute("data-guide-toggle", "");
    function allOpen() {
      return Array.prototype.every.call(steps, function (d) { return d.open; });
    }
    function label() {
      var open = allOpen();
      button.textContent = open ? "全部收起" : "全部展开";
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var open = !allOpen();
      steps.forEach(function (d) { d.open = open; });
      label();
    });
    steps.forEach(function (d) { d.addEventListener("toggle", label); });
    label();
    list.parentNode.insertBefore(button, list);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
