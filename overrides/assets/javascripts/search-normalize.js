// Search as people type on a phone: the query is normalised before Material's search worker sees it.
// - traditional characters become simplified (table from the index: config.normalize.t2s);
// - tones, full-width letters and ü are folded; pinyin typed with spaces is also tried joined;
// - a Chinese query (a whole question, too) is cut into the index's own words, so 公司欠工资怎么办
//   searches 公司 and 欠工资; a word with one homophone slip (户照, 户口本) is read as the index's
//   word (护照, 户口簿), using the pinyin of the index's characters (config.normalize.pinyin).
// Material 9 has no query hook, so the one message carrying the query to the worker is wrapped.
// Nothing is sent anywhere; if anything fails, the query goes through unchanged.
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2;        // Material's SearchMessageType
  var SENTINEL = "\u3007";         // any Han character: Material never reads a run's last one (wordTerm)
  var MAX_WORD = 10;
  var STOP = ["怎么办", "怎么", "如何", "哪里", "哪儿", "在哪", "什么", "可以", "需要", "请问", "我的", "我要", "我想"];
  var HAN = /[\u3400-\u9fff]/;
  var state = null;

  function prepare(data) {
    var tables = (data.config && data.config.normalize) || {};
    var t2s = {}, py = {}, syllables = {}, vocab = {}, slips = {};
    var pairs = tables.t2s || "";
    for (var i = 0; i + 1 < pairs.length; i += 2) t2s[pairs[i]] = pairs[i + 1];
    [tables.pinyin || {}, tables.pinyin_other || {}].forEach(function (bySyllable) {  // most common reading first
      Object.keys(bySyllable).forEach(function (syl) {
        var chars = bySyllable[syl];
        syllables[syl] = true;
        for (var k = 0; k < chars.length; k++) (py[chars[k]] = py[chars[k]] || []).push(syl);
      });
    });
    var sep = new RegExp(data.config && data.config.separator || "[\\s\\u200b]+");
    (data.docs || []).forEach(function (doc) {
      // The page's words and its keywords (their own index field, not on the page: 找工作, 免税车)
      [doc.title, doc.text, doc.keywords].forEach(function (field) {
        if (typeof field !== "string") return;
        field.replace(/<[^>]*>/g, " ").split(sep).forEach(function (w) {
          if (w.length < 2 || w.length > MAX_WORD || vocab[w] || !/^[\u3400-\u9fff]+$/.test(w)) return;
          vocab[w] = true;
          for (var j = 0; j < w.length; j++) {
            var key = w.slice(0, j) + "\0" + w.slice(j + 1);
            (slips[key] = slips[key] || []).push(w);
          }
        });
      });
    });
    state = { t2s: t2s, py: py, syllables: syllables, vocab: vocab, slips: slips };
  }

  function initial(syl) {
    return /^[zcs]h/.test(syl) ? syl.slice(0, 2) : syl.charAt(0);
  }

  // A shared reading; in a word of three or more characters the same initial of the most common
  // readings is enough (a pinyin keyboard typed by initials offers 户口本 for 户口簿).
  function homophone(a, b, len) {
    var ra = state.py[a] || [], rb = state.py[b] || [];
    if (len >= 3 && ra.length && rb.length && initial(ra[0]) === initial(rb[0])) return true;
    for (var i = 0; i < ra.length; i++)
      if (rb.indexOf(ra[i]) >= 0) return true;
    return false;
  }

  function slip(w) {
    for (var i = 0; i < w.length; i++) {
      var found = state.slips[w.slice(0, i) + "\0" + w.slice(i + 1)] || [];
      for (var k = 0; k < found.length; k++)
        if (found[k].charAt(i) !== w.charAt(i) && homophone(found[k].charAt(i), w.charAt(i), w.length)) return found[k];
    }
    return null;
  }

  // The cheapest cover of a run of Chinese by index words: a skipped character costs 1,
  // a slip-corrected word 0.5, every word a little (fewer, longer words win).
  function segment(run) {
    var n = run.length, best = [{ cost: 0, words: [] }];
    for (var i = 1; i <= n; i++) best[i] = null;
    for (i = 0; i < n; i++) {
      var here = best[i];
      if (!here) continue;
      var options = [[i + 1, 1, null]];
      for (var len = 2; len <= MAX_WORD && i + len <= n; len++) {
        var w = run.substr(i, len);
        if (state.vocab[w]) options.push([i + len, 0.01, w]);
        else {
          var s = slip(w);
          if (s) options.push([i + len, 0.51, s]);
        }
      }
      options.forEach(function (o) {
        var cost = here.cost + o[1];
        if (!best[o[0]] || cost < best[o[0]].cost - 1e-9)
          best[o[0]] = { cost: cost, words: o[2] ? here.words.concat([o[2]]) : here.words };
      });
    }
    return best[n].words.filter(function (w) { return STOP.indexOf(w) < 0; });
  }

  // Material cuts a Chinese term into the index's terms but never tries the whole term, only its
  // proper prefixes (护照 is searched as 护* when 护 is a term). With one more character after it,
  // the whole word is the longest prefix it finds, and the extra character is dropped.
  function wordTerm(w) {
    return w + SENTINEL;
  }

  function fold(query) {
    var q = query.normalize("NFKC").toLowerCase().replace(/ü|u:/g, "v");
    q = q.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
    var out = "";
    for (var i = 0; i < q.length; i++) out += state.t2s[q[i]] || q[i];
    return out;
  }

  function normalize(query) {
    if (!state || !query || /["+\-~^:*]/.test(query)) return query;  // Lunr syntax: as typed
    var q = fold(query);
    var terms = [], latin = [];
    q.split(/[\s,，。、;；:：?？!！()（）《》“”]+/).forEach(function (part) {
      (part.match(/[\u3400-\u9fff]+|[^\u3400-\u9fff]+/g) || []).forEach(function (piece) {
        if (!HAN.test(piece)) {
          terms.push(piece);
          if (/^[a-z]+$/.test(piece)) latin.push(piece);
          return;
        }
        var words = segment(piece);
        if (!words.length) terms.push(piece);
        words.forEach(function (w) { terms.push(wordTerm(w)); });
      });
    });
    if (latin.length > 1) {  // "xueli renzheng" also as xuelirenzheng; "hu zhao" only as huzhao
      if (latin.every(function (t) { return state.syllables[t]; }))
        terms = terms.filter(function (t) { return latin.indexOf(t) < 0; });
      terms.push(latin.join(""));
    }
    var seen = {};
    return terms.filter(function (t) { return t && !seen[t] && (seen[t] = true); }).join(" ");
  }

  function wrap(proto) {
    if (!proto || proto.guideNormalize) return;
    var post = proto.postMessage;
    proto.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments);
      try {
        if (message && message.type === SETUP && message.data) prepare(message.data);
        else if (message && message.type === QUERY && typeof message.data === "string")
          args[0] = { type: QUERY, data: normalize(message.data) };
      } catch (e) { /* search keeps working without normalisation */ }
      return post.apply(this, args);
    };
    proto.guideNormalize = true;
  }

  if (typeof Worker !== "undefined") wrap(Worker.prototype);
  if (window.IFrameWorker) wrap(window.IFrameWorker.prototype);  // file://: the iframe-worker shim
  window.guideSearch = { normalize: function (q) { return normalize(q); } };
})();
