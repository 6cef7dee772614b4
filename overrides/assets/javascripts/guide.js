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
