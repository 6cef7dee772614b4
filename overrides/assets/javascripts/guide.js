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

// A new release: a returning reader is told so, in Chinese, with the services they looked at or
// ticked that changed. release.json (written with sw.js) holds a hash of every service's content;
// this browser keeps, per service viewed, the hash it had then ("guide:seen", nothing is sent).
(function () {
  if (location.protocol === "file:" || !window.fetch || !window.URL || !("serviceWorker" in navigator)) return;
  var SEEN = "guide:seen", RELEASE = "guide:release", TICKS = "guide:ticks";
  var script = document.currentScript;
  var src = script && script.src ? script.src.split("?")[0] : "";
  var tail = "assets/javascripts/guide.js";
  if (src.slice(-tail.length) !== tail) return;
  var root = src.slice(0, -tail.length);
  var hadController = !!navigator.serviceWorker.controller;

  function has(o, k) { return o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k); }
  function readRaw(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function read(key) {
    var v = readRaw(key);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
  }
  function write(key, v) { try { localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* storage disabled */ } }
  function release() {
    return fetch(root + "release.json").then(function (r) { return r.ok ? r.json() : null; })
      .then(function (R) { return R && has(R, "services") ? R : null; }).catch(function () { return null; });
  }
  function thisService() {
    var base = new URL(root).pathname;
    if (location.pathname.indexOf(base) !== 0) return null;
    var m = /^services\/([^/]+)\/(index\.html)?$/.exec(location.pathname.slice(base.length));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function tickedServices() {
    var ids = Object.create(null), ticks = read(TICKS) || {};
    Object.keys(ticks).forEach(function (k) { ids[k.split(":")[0]] = true; });
    return ids;
  }
  // Services viewed (or ticked) whose content differs from what the reader saw.
  function changed(R) {
    var seen = read(SEEN) || {}, ticked = tickedServices();
    return Object.keys(seen).sort().filter(function (id) {
      return has(seen[id], "h") && (!has(R.services, id) || R.services[id] !== seen[id].h);
    }).map(function (id) { return { id: id, name: String(seen[id].n || id), ticked: !!ticked[id] }; });
  }
  function acknowledge(R, list) {
    var seen = read(SEEN) || {};
    list.forEach(function (c) { if (has(seen, c.id)) seen[c.id].h = R.services[c.id]; });
    write(SEEN, seen);
    write(RELEASE, R.release);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function show(R, list, live) {
    var old = document.querySelector("[data-guide-update]");
    if (old) old.parentNode.removeChild(old);
    var box = el("div", "admonition note guide-update");
    box.setAttribute("role", "status");
    box.setAttribute("data-guide-update", live ? "live" : "loaded");
    var when = "(目录版本 " + R.version + ",截至 " + R.date + ")";
    box.appendChild(el("p", "admonition-title", live ? "本指南有新版本" : "本指南已更新"));
    box.appendChild(el("p", null, live ? "本指南已发布新版本" + when + ",刷新页面即可查看。"
                                       : "您看到的是新版本" + when + "。"));
    var seen = read(SEEN) || {};
    if (list.length) {
      box.appendChild(el("p", null, "您看过或勾选过的事项中,以下有变化:"));
      var ul = el("ul", "guide-update__services");
      list.forEach(function (c) {
        var li = el("li");
        li.setAttribute("data-service", c.id);
        var a = el("a", null, c.name);
        a.href = root + "services/" + encodeURIComponent(c.id) + "/";
        li.appendChild(a);
        if (!has(R.services, c.id)) li.appendChild(document.createTextNode("(新版本中已没有此事项)"));
        else if (c.ticked) li.appendChild(document.createTextNode("(您勾选过其中的材料,请重新核对)"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    } else if (Object.keys(seen).length) {
      box.appendChild(el("p", null, "您看过或勾选过的事项没有变化。"));
    }
    var actions = el("p", "guide-update__actions");
    if (live) {
      var reload = el("button", "md-button md-button--primary", "刷新页面");
      reload.type = "button";
      reload.addEventListener("click", function () { write(RELEASE, R.release); location.reload(); });
      actions.appendChild(reload);
      actions.appendChild(document.createTextNode(" "));
    }
    var ok = el("button", "md-button", "知道了");
    ok.type = "button";
    ok.addEventListener("click", function () { acknowledge(R, list); box.parentNode.removeChild(box); });
    actions.appendChild(ok);
    box.appendChild(actions);
    var host = document.querySelector(".md-content__inner") || document.querySelector("main") || document.body;
    host.insertBefore(box, host.firstChild);
  }

  function onLoad() {
    release().then(function (R) {
      if (!R) return;
      var id = thisService(), seen = read(SEEN) || {};
      if (id && has(R.services, id)) {  // viewed now: this is what the reader saw
        var h1 = document.querySelector(".md-content h1");
        seen[id] = { h: R.services[id], n: h1 ? h1.textContent.trim() : id };
        write(SEEN, seen);
      }
      var before = readRaw(RELEASE), list = changed(R);
      if ((before !== null && before !== R.release) || list.length) show(R, list, false);
      write(RELEASE, R.release);
    });
  }
  // A new service worker took over while this (older) page is open: a release was just published.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (!hadController) { hadController = true; return; }  // the first install, not an update
    release().then(function (R) {
      if (!R) return;
      var list = changed(R);
      if (readRaw(RELEASE) !== R.release || list.length) show(R, list, true);
    });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
})();
