/* 我的清单: answers -> services that apply -> one merged list of materials.
   Mirrors generator/checklist/merge.py (same selection, same merge, same plain result);
   the browser tests compare the two. Catalog text is data: only ever set as textContent. */
(function () {
  "use strict";
  var root = document.getElementById("checklist");
  var dataNode = document.getElementById("checklist-data");
  if (!root || !dataNode || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var D = JSON.parse(dataNode.textContent);
  var STAGE_Q = D.stageQuestion;
  // Lookups keyed by ids from a link have no prototype: "constructor" or "__proto__" in the URL
  // must be an unknown id, not a member of Object.prototype.
  function dict() { return Object.create(null); }
  function has(map, k) { return Object.prototype.hasOwnProperty.call(map, k); }
  var byService = dict(), byMaterial = dict(), byQuestion = dict();
  D.services.forEach(function (s) { byService[s.id] = s; });
  D.materials.forEach(function (m) { byMaterial[m.id] = m; });
  D.questions.forEach(function (q) { byQuestion[q.id] = q; });
  var stagePos = dict(), catPos = dict();
  D.stages.forEach(function (s, i) { stagePos[s.id] = i; });
  D.categories.forEach(function (c, i) { catPos[c.id] = i; });

  // ------------------------------------------------------------ domain (same as merge.py)

  function isPending(x) { return x !== null && typeof x === "object" && !Array.isArray(x) && "pending" in x; }

  function answersOf(answers, q) { return has(answers, q) ? answers[q] : []; }

  function applies(s, answers) {
    if (s.status !== "active") return false;
    if (!s.applies.length) return answersOf(answers, STAGE_Q).indexOf(s.stage) >= 0;
    return s.applies.some(function (cond) {
      return Object.keys(cond).every(function (q) {
        var mine = answersOf(answers, q);
        return cond[q].some(function (a) { return mine.indexOf(a) >= 0; });
      });
    });
  }

  function pos(map, k) { return has(map, k) ? map[k] : 99; }

  function select(answers) {
    return D.services.filter(function (s) { return applies(s, answers); }).sort(function (a, b) {
      return (pos(stagePos, a.stage) - pos(stagePos, b.stage)) || (pos(catPos, a.category) - pos(catPos, b.category)) ||
        (a.number - b.number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  }

  function count(uses, attr) {
    var known = 0, unknown = [];
    uses.forEach(function (u) {
      if (!u.item.required) return;
      var n = u.item[attr];
      if (n === null || n === undefined) { if (unknown.indexOf(u.service) < 0) unknown.push(u.service); }
      else known += n;
    });
    return { known: known, unknown: unknown };
  }

  function limitDays(t) {
    if (t.unit === "即办") return 0;
    var v = t.value || 0;
    return t.unit === "工作日" ? v * 7 / 5 : v;
  }

  function compute(answers) {
    var services = select(answers);
    var shared = dict(), specific = [];
    services.forEach(function (s) {
      if (isPending(s.materials)) { specific.push({ service: s.id, pending: true, items: [] }); return; }
      var own = [];
      s.materials.forEach(function (m) {
        if (m.ref !== null && has(byMaterial, m.ref)) {
          (shared[m.ref] = shared[m.ref] || []).push({ service: s.id, item: m });
        } else own.push(m);
      });
      if (own.length) specific.push({
        service: s.id, pending: false,
        items: own.map(function (m) {
          return { name: m.name !== null ? m.name : m.ref, required: m.required, condition: m.condition,
                   originals: m.originals, copies: m.copies };
        })
      });
    });
    var sharedList = D.materials.filter(function (m) { return shared[m.id]; }).map(function (m) {
      var uses = shared[m.id], ids = [];
      uses.forEach(function (u) { if (ids.indexOf(u.service) < 0) ids.push(u.service); });
      return {
        id: m.id, services: ids,
        required: uses.some(function (u) { return u.item.required; }),
        originals: count(uses, "originals"), copies: count(uses, "copies"),
        uses: uses.map(function (u) {
          return { service: u.service, required: u.item.required, condition: u.item.condition,
                   originals: u.item.originals, copies: u.item.copies, note: u.item.note };
        })
      };
    });
    var stages = [];
    D.stages.forEach(function (st) {
      var inStage = services.filter(function (s) { return s.stage === st.id; });
      if (!inStage.length) return;
      var out = { id: st.id, services: inStage.map(function (s) { return s.id; }), fee_total: 0,
                  fee_fixed: [], fee_variable: [], fee_pending: [], longest: null, limit_pending: [] };
      var longest = null;
      inStage.forEach(function (s) {
        var f = s.fees;
        if (isPending(f)) out.fee_pending.push(s.id);
        else if (f.charged) {
          var always = f.items.filter(function (i) { return !i.optional; });
          if (always.length) {
            always.forEach(function (i) { out.fee_total += i.amount; });
            out.fee_fixed.push(s.id);
          }
          if (always.length < f.items.length) out.fee_variable.push(s.id);
        }
        var c = s.committed;
        if (isPending(c)) out.limit_pending.push(s.id);
        else if (longest === null || limitDays(c) > limitDays(longest.t)) longest = { s: s, t: c };
      });
      if (longest) out.longest = { service: longest.s.id, value: longest.t.value, unit: longest.t.unit };
      stages.push(out);
    });
    return { services: services.map(function (s) { return s.id; }), shared: sharedList, specific: specific, stages: stages };
  }

  // ------------------------------------------------------------ answers <-> URL

  // The longest link a person can make picks every answer of every question (percent-encoded at
  // most 3 bytes a character). A longer text is not answers: read whole, a 200 KB one froze the tab.
  var MAX_TEXT = 256 + 3 * D.questions.reduce(function (n, q) {
    return n + q.id.length + 2 + q.answers.reduce(function (m, a) { return m + a.id.length + 1; }, 0);
  }, 0);
  var NOTICE_ITEMS = 5, NOTICE_CHARS = 40;  // the notice names a few ignored answers, shortened

  function parseAnswers(text) {
    var picked = dict(), ignored = [], tooLong = false;
    text = text.replace(/^[?#]/, "");
    if (text.length > MAX_TEXT) {
      // Cut at a separator, so a cut-off id can never read as a shorter valid one.
      tooLong = true;
      text = text.slice(0, MAX_TEXT);
      text = text.slice(0, Math.max(text.lastIndexOf("&"), 0));
    }
    text.split("&").forEach(function (part) {
      if (!part) return;
      var i = part.indexOf("="), key, value;
      if (i < 0) { ignored.push(part); return; }
      try { key = decodeURIComponent(part.slice(0, i)); value = decodeURIComponent(part.slice(i + 1)); }
      catch (e) { ignored.push(part); return; }
      if (!has(byQuestion, key)) { ignored.push(key); return; }
      var q = byQuestion[key];
      value.split(",").forEach(function (v) {
        if (!v) return;
        if (!q.answers.some(function (a) { return a.id === v; })) { ignored.push(key + "=" + v); return; }
        (picked[key] = has(picked, key) ? picked[key] : []).push(v);
      });
    });
    var out = {};
    D.questions.forEach(function (q) {
      if (!has(picked, q.id)) return;
      var chosen = q.answers.map(function (a) { return a.id; }).filter(function (id) { return picked[q.id].indexOf(id) >= 0; });
      if (!q.multiple && chosen.length > 1) { ignored.push(q.id + "=" + chosen.slice(1).join(",")); chosen = chosen.slice(0, 1); }
      out[q.id] = chosen;
    });
    return { answers: out, ignored: ignored, tooLong: tooLong };
  }

  function ignoredText(ignored, tooLong) {
    var parts = [];
    if (tooLong) parts.push("链接过长,超过 " + MAX_TEXT + " 个字符的部分已忽略。");
    if (ignored.length) {
      var named = ignored.slice(0, NOTICE_ITEMS).map(function (x) {
        return x.length > NOTICE_CHARS ? x.slice(0, NOTICE_CHARS) + "…" : x;
      });
      parts.push("链接中有 " + ignored.length + " 个无法识别的答案,已忽略:" + named.join("、") +
        (ignored.length > NOTICE_ITEMS ? " 等" : ""));
    }
    return parts.join("");
  }

  function formatAnswers(answers) {
    var parts = [];
    D.questions.forEach(function (q) {
      var chosen = q.answers.map(function (a) { return a.id; }).filter(function (id) { return (answers[q.id] || []).indexOf(id) >= 0; });
      if (chosen.length) parts.push(q.id + "=" + chosen.join(","));
    });
    return parts.join("&");
  }

  var form = document.getElementById("checklist-form");

  function readForm() {
    var answers = {};
    D.questions.forEach(function (q) {
      var chosen = [];
      q.answers.forEach(function (a) {
        var input = document.getElementById("cl-" + q.id + "-" + a.id);
        if (input && input.checked) chosen.push(a.id);
      });
      if (chosen.length) answers[q.id] = chosen;
    });
    return answers;
  }

  function writeForm(answers) {
    D.questions.forEach(function (q) {
      q.answers.forEach(function (a) {
        var input = document.getElementById("cl-" + q.id + "-" + a.id);
        if (input) input.checked = (answers[q.id] || []).indexOf(a.id) >= 0;
      });
    });
  }

  // ------------------------------------------------------------ text

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) node.appendChild(typeof x === "string" ? document.createTextNode(x) : x); });
      else node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  function num(n) { return String(Math.round(n * 100) / 100); }
  function names(ids) { return ids.map(function (id) { return byService[id].name; }).join("、"); }

  function countText(label, c) {
    if (!c.unknown.length) return label + " " + c.known + " 份";
    if (c.known === 0) return label + "份数待核实";
    return label + "已知 " + c.known + " 份,另有" + names(c.unknown) + "未写明份数(待核实)";
  }

  function itemCounts(m) {
    var parts = [];
    parts.push(m.originals === null ? "原件份数待核实" : "原件 " + m.originals + " 份");
    parts.push(m.copies === null ? "复印件份数待核实" : "复印件 " + m.copies + " 份");
    return parts.join(",");
  }

  function limitText(t) {
    if (t.unit === "即办") return "即办";
    return num(t.value) + (t.unit === "工作日" ? "个工作日" : "日");
  }

  // Same words as text.where_text.
  function whereText(w) {
    var where = w.place ? "地点:" + w.place + (w.places > 1 ? "等 " + w.places + " 处" : "")
      : (w.online ? "网上办:" + w.online : "地点待核实");
    return where + ";" + (w.phone ? "电话:" + w.phone : "电话待核实");
  }

  function feeText(f) {
    if (isPending(f)) return "收费待核实:" + f.pending;
    if (!f.charged) return "不收费";
    return "收费:" + f.items.map(function (i) {
      return i.name + " " + num(i.amount) + " 元/" + i.unit + (i.optional ? "(按需)" : "");
    }).join(";");
  }

  function serviceHref(id) {
    var prefix = root.getAttribute("data-link-prefix") || "../services/";
    return prefix + encodeURIComponent(id) + "/" + (location.protocol === "file:" ? "index.html" : "");
  }

  function pendingMark() { return el("span", { "class": "checklist-pending" }, "待核实"); }

  // ------------------------------------------------------------ view

  var result = document.getElementById("checklist-result");
  var status = document.getElementById("checklist-status");
  var summary = document.getElementById("checklist-summary");
  var link = document.getElementById("checklist-link");
  var notice = document.getElementById("checklist-notice");

  function renderResult(answers, plain) {
    result.textContent = "";
    summary.textContent = "";
    var said = D.questions.filter(function (q) { return answers[q.id]; }).map(function (q) {
      return q.text + q.answers.filter(function (a) { return answers[q.id].indexOf(a.id) >= 0; })
        .map(function (a) { return a.label; }).join("、");
    });
    if (said.length) summary.appendChild(el("span", null, "您的情况:" + said.join(";")));
    if (!plain.services.length) {
      result.appendChild(el("p", { "class": "checklist-empty" },
        (answers[STAGE_Q] ? "按您的回答,没有需要办理的事项。" : "请先选择您所处的阶段。")));
      return;
    }
    // Services, per stage, with the stage totals.
    var sec = el("section", { "class": "checklist-services", "aria-labelledby": "checklist-h-services" },
      el("h2", { id: "checklist-h-services" }, "要办的事项(" + plain.services.length + " 项)"));
    plain.stages.forEach(function (st) {
      var stage = D.stages.filter(function (x) { return x.id === st.id; })[0];
      var list = el("ol", { "class": "checklist-service-list" });
      st.services.forEach(function (id) {
        var s = byService[id];
        var c = s.committed;
        list.appendChild(el("li", { "data-service": id },
          el("a", { href: serviceHref(id) }, s.name),
          el("span", { "class": "checklist-dept" }, "(" + s.department + ")"),
          el("br"),
          el("span", { "class": "checklist-meta" }, feeText(s.fees) + ";承诺办结时限:" +
            (isPending(c) ? "待核实" : limitText(c))),
          el("br"),
          el("span", { "class": "checklist-where" }, whereText(s.where))));
      });
      var lines = [];
      var fee = [];
      if (st.fee_fixed.length) fee.push("已知合计 " + num(st.fee_total) + " 元(" + names(st.fee_fixed) + ")");
      if (st.fee_variable.length) fee.push("另有按需收取的费用:" + names(st.fee_variable));
      if (st.fee_pending.length) fee.push((fee.length ? "另有待核实的费用(" : "待核实(") + names(st.fee_pending) + ")");
      lines.push(el("li", { "class": "checklist-fee" }, "收费:" + (fee.length ? fee.join(";") : "不收费")));
      var lim;
      if (!st.longest) lim = "承诺办结时限均待核实";
      else if (!st.limit_pending.length) lim = "最长承诺办结时限 " + limitText(st.longest) + "(" + byService[st.longest.service].name + ")";
      // A known limit is only a lower bound while others are unknown: never call it the longest.
      else lim = st.limit_pending.length + " 个事项的承诺时限待核实(" + names(st.limit_pending) + "),这一阶段最长要多久尚不能确定;已写明时限的事项中最长为 " +
        limitText(st.longest) + "(" + byService[st.longest.service].name + ")";
      lines.push(el("li", { "class": "checklist-limit" }, lim));
      sec.appendChild(el("section", { "class": "checklist-stage", "data-stage": st.id },
        el("h3", null, stage.name + "(" + st.services.length + " 项)"), list,
        el("ul", { "class": "checklist-stage-summary", "aria-label": stage.name + "小计" }, lines)));
    });
    result.appendChild(sec);

    // Materials: shared ones once, then each service's own.
    var mat = el("section", { "class": "checklist-materials", "aria-labelledby": "checklist-h-materials" },
      el("h2", { id: "checklist-h-materials" }, "要带的材料"));
    if (plain.shared.length) {
      mat.appendChild(el("h3", null, "证件和共用材料(每种只列一次)"));
      var ul = el("ul", { "class": "checklist-shared" });
      plain.shared.forEach(function (sm) {
        var m = byMaterial[sm.id];
        var li = el("li", { "data-material": sm.id },
          el("strong", { "class": "checklist-material-name" }, m.name),
          m.issuer ? el("span", { "class": "checklist-issuer" }, "(" + m.issuer + ")") : null,
          " — ", el("span", { "class": "checklist-used-by" }, "用于:" + names(sm.services)));
        if (sm.required) {
          li.appendChild(el("div", { "class": "checklist-counts" },
            countText("原件", sm.originals) + ";" + countText("复印件", sm.copies)));
        } else {
          li.appendChild(el("div", { "class": "checklist-conditional" }, "有条件提交"));
        }
        var details = el("ul", { "class": "checklist-uses" });
        sm.uses.forEach(function (u) {
          if (u.required && !u.note && sm.uses.length === 1) return;
          details.appendChild(el("li", { "data-use": u.service },
            byService[u.service].name + ":" + (u.required ? "必备" : "条件:" + u.condition) +
            (u.required ? "" : "(" + itemCounts(u) + ")") + (u.note ? "。" + u.note : "")));
        });
        if (details.childNodes.length) li.appendChild(details);
        if (m.note) li.appendChild(el("div", { "class": "checklist-note" }, m.note));
        ul.appendChild(li);
      });
      mat.appendChild(ul);
      mat.appendChild(el("p", { "class": "checklist-hint" }, "份数合计为各事项要求的份数之和;有条件提交的材料不计入合计。"));
    }
    if (plain.specific.length) {
      mat.appendChild(el("h3", null, "各事项的其他材料"));
      plain.specific.forEach(function (sp) {
        var s = byService[sp.service];
        var box = el("div", { "class": "checklist-specific", "data-service": sp.service }, el("h4", null, s.name));
        if (sp.pending) {
          box.appendChild(el("p", { "class": "checklist-pending-text" }, pendingMark(), " " + s.materials.pending));
        } else {
          var l = el("ul");
          sp.items.forEach(function (m) {
            l.appendChild(el("li", null, el("span", { "class": "checklist-material-name" }, m.name),
              (m.required ? "" : "(条件:" + m.condition + ")") + ":" + itemCounts(m)));
          });
          box.appendChild(l);
        }
        mat.appendChild(box);
      });
    }
    result.appendChild(mat);
  }

  function update(answers, ignored, push, tooLong) {
    var plain = compute(answers);
    var text = formatAnswers(answers);
    // The link to share is the answers read, never the raw URL (which may hold junk of any length).
    var url = location.href.split("#")[0].split("?")[0] + (text ? "#" + text : "");
    if (push) {
      try { history.replaceState(null, "", url); } catch (e) { /* file:// in some browsers */ }
    }
    link.setAttribute("href", url);
    link.textContent = url;
    notice.textContent = ignoredText(ignored || [], tooLong);
    renderResult(answers, plain);
    var materials = plain.shared.length + plain.specific.reduce(function (n, sp) { return n + sp.items.length; }, 0);
    var unknown = plain.specific.filter(function (sp) { return sp.pending; }).length;
    status.textContent = plain.services.length ?
      "已列出 " + plain.services.length + " 个事项、" + materials + " 种材料" +
      (unknown ? "(另有 " + unknown + " 个事项的材料待核实)" : "") + "。" : "没有列出事项。";
    root.setAttribute("data-answers", text);
  }

  function fromLocation() {
    var text = location.hash.length > 1 ? location.hash : location.search;
    var parsed = parseAnswers(text || "");
    writeForm(parsed.answers);
    update(parsed.answers, parsed.ignored, false, parsed.tooLong);
  }

  form.addEventListener("change", function () { update(readForm(), [], true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", fromLocation);
  document.getElementById("checklist-clear").addEventListener("click", function () {
    writeForm({}); update({}, [], true);
  });
  document.getElementById("checklist-print").addEventListener("click", function () { window.print(); });
  root.removeAttribute("hidden");
  form.removeAttribute("hidden");
  document.getElementById("checklist-actions").removeAttribute("hidden");
  fromLocation();

  window.checklistApp = { compute: compute, parseAnswers: parseAnswers, formatAnswers: formatAnswers, answers: readForm };
})();
