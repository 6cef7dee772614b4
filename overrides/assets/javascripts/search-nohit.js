/* A search that finds nothing says so and offers where to ask instead (the block is in
   overrides/partials/search.html). Kept apart from guide.js: it only watches Material's result list. */
(function () {
  "use strict";
  var box = document.querySelector(".md-search__input");
  var result = document.querySelector("[data-md-component=search-result]");
  var help = document.querySelector("[data-guide-nohit]");
  if (!box || !result || !help) return;
  var list = result.querySelector(".md-search-result__list");
  var meta = result.querySelector(".md-search-result__meta");
  var slot = help.querySelector("[data-guide-nohit-query]");
  var timer = null;

  function update() {
    var query = box.value.trim();
    // Material fills the list when it finds something; an empty list after the index is ready is a miss.
    var ready = !meta || meta.textContent.indexOf("初始化") < 0;
    var miss = query !== "" && ready && list && list.children.length === 0;
    if (slot) slot.textContent = query;
    help.hidden = !miss;
  }

  function later() {
    // Let Material render its results first, so a hit never flashes the notice.
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, 250);
  }

  box.addEventListener("input", later);
  box.addEventListener("keyup", later);
  if (window.MutationObserver && list) {
    new MutationObserver(later).observe(list, { childList: true });
  }
})();
