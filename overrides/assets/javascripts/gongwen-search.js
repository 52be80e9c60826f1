/*
 * gongwen search worker. Replaces Material's lunr worker behind the same search UI: it
 * speaks Material's worker protocol (SETUP 0 -> READY 1, QUERY 2 -> RESULT 3) and answers
 * with the pages whose text contains every term of the query as a substring.
 *
 * The index is written by gongwen/site/search_index.py, which also holds the same search in
 * Python (tests compare the two): keep matching and scores in step with it.
 *
 * Plain JS, no build step. Runs as a real worker over http(s), reading
 * search/gongwen_index.bin.gz (UTF-16, gzipped), and inside the iframe of Material's
 * iframe-worker shim from file://, reading search/gongwen_index.js by script tag.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

  // Ranking, as in gongwen/site/search_index.py
  var W_TITLE = 1000, W_HEADING = 100, HEADING_CAP = 5, TEXT_CAP = 99
  // Display only: sections listed under a page, and how many pages get them
  var SECTIONS_SHOWN = 8, DETAILED_PAGES = 50
  var SNIPPET_BEFORE = 24, SNIPPET_LENGTH = 110

  // Under the shim this script runs in an iframe whose location is the page's own;
  // the script element still tells where the script came from.
  var SHIM = typeof document !== "undefined"
  var here = (SHIM && document.currentScript && document.currentScript.src) || self.location.href
  var GZ_URL = new URL("../../search/gongwen_index.bin.gz", here).href
  var BIN_URL = new URL("../../search/gongwen_index.bin", here).href
  var JS_URL = new URL("../../search/gongwen_index.js", here).href

  var index = null
  var loading = null

  var WS = /[ \t\r\n\f\v\u00a0\u200b\u3000]+/g

  function fold(s) {
    return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, function (m) { return m.toLowerCase() }) : s
  }

  function queryTerms(query) {
    var out = [], parts = String(query).replace(WS, " ").split(" ")
    for (var i = 0; i < parts.length; i++) {
      var t = fold(parts[i])
      if (t && out.indexOf(t) < 0 && out.length < 30)
        out.push(t)
    }
    return out
  }

  function lineStarts(s, from, to) {
    var out = [from]
    for (var i = s.indexOf("\n", from); i >= 0 && i < to; i = s.indexOf("\n", i + 1))
      out.push(i + 1)
    out.push(to + 1)                           // sentinel: section k ends at starts[k+1] - 1
    return Int32Array.from(out)
  }

  /* The index is one string: a JSON line (pages, anchors, sections, the length of the
     titles block), the section titles one a line, then the section texts one a line. */
  function prepare(all) {
    var nl = all.indexOf("\n")
    var meta = JSON.parse(all.slice(0, nl))
    if (meta.v !== 1)
      throw new Error("gongwen search: unknown index format")
    var titlesFrom = nl + 1, textFrom = titlesFrom + meta.titles + 1
    var n = meta.sections.length, np = meta.pages.length
    var secPage = new Int32Array(n), first = new Int32Array(np + 1)
    for (var p = 0, k = 0; p < np; p++) {
      first[p] = k
      for (var end = k + meta.pages[p][3]; k < end; k++)
        secPage[k] = p
    }
    first[np] = n
    var titleStarts = lineStarts(all, titlesFrom, textFrom - 1)
    var textStarts = lineStarts(all, textFrom, all.length)
    if (n > 0 && (titleStarts.length !== n + 1 || textStarts.length !== n + 1))
      throw new Error("gongwen search: index does not match its header")
    return {
      pages: meta.pages, anchors: meta.anchors, sections: meta.sections,
      secPage: secPage, first: first,
      all: all, folded: null, titleStarts: titleStarts, textStarts: textStarts
    }
  }

  /* The text to scan for these terms. Folding changes only ASCII letters, so terms without
     one match the original text at the same places; the folded copy (a pass over the whole
     index) is made only when a query first needs it. */
  function haystack(terms) {
    if (!/[a-z]/.test(terms.join("")))
      return index.all
    if (index.folded === null)
      index.folded = fold(index.all)
    return index.folded
  }

  function fetchBuffer(url, gzipped) {
    return fetch(url).then(function (res) {
      if (!res.ok)
        throw new Error(url + ": " + res.status)
      return gzipped
        ? new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer()
        : res.arrayBuffer()
    })
  }

  /* The gzipped index first; the plain one where the browser cannot inflate (or a server
     sent the .gz already inflated); the script where neither is there (an offline build
     served over http). */
  function fetchIndex() {
    var packed = typeof DecompressionStream === "function"
      ? fetchBuffer(GZ_URL, true) : Promise.reject(new Error("no DecompressionStream"))
    return packed.catch(function () {
      return fetchBuffer(BIN_URL, false)
    }).then(function (buf) {
      return new TextDecoder("utf-16le").decode(buf)
    }, scriptIndex)
  }

  function scriptIndex() {
    return new Promise(function (resolve) {
      resolve(importScripts(JS_URL))           // a Promise under the shim
    }).then(function () {
      var all = self.gongwenSearchIndex
      self.gongwenSearchIndex = undefined
      return all
    })
  }

  function load() {
    if (!loading)
      loading = (SHIM ? scriptIndex() : fetchIndex()).then(function (all) {
        index = prepare(all)
      }).catch(function (err) {
        console.error("gongwen search: cannot load the index", err)
      })
    return loading
  }

  /* Call fn(section, count) for each section in starts holding term (count capped,
     occurrences not overlapping). starts has a sentinel; sections never hold "\n". */
  function scan(hay, starts, term, fn) {
    var n = starts.length - 1, s = 0, len = term.length
    var pos = hay.indexOf(term, starts[0])
    while (pos >= 0 && pos < starts[n]) {
      var lo = s, hi = n - 1                   // last section starting at or before pos
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1
        if (starts[mid] <= pos) lo = mid; else hi = mid - 1
      }
      s = lo
      var end = starts[s + 1] - 1
      var count = 0
      while (pos >= 0 && pos < end && count < TEXT_CAP) {
        count++
        pos = hay.indexOf(term, pos + len)
      }
      fn(s, count)
      if (pos >= 0 && pos < end)
        pos = hay.indexOf(term, end + 1)
    }
  }

  function search(query) {
    var terms = queryTerms(query)
    if (!terms.length || !index || !index.pages.length)
      return []
    var np = index.pages.length, ns = index.sections.length, full = (1 << terms.length) - 1
    var found = new Int32Array(np), titleScore = new Int32Array(np)
    var headingHits = new Int32Array(np), textHits = new Int32Array(np)
    var secScore = new Int32Array(ns), secText = new Uint8Array(ns)
    var first = index.first, secPage = index.secPage
    var hay = haystack(terms)

    for (var t = 0; t < terms.length; t++) {
      var bit = 1 << t
      scan(hay, index.titleStarts, terms[t], function (k) {
        var p = secPage[k]
        found[p] |= bit
        if (first[p] === k) { titleScore[p] += W_TITLE; secScore[k] += W_TITLE }
        else { headingHits[p] += 1; secScore[k] += W_HEADING }
      })
      scan(hay, index.textStarts, terms[t], function (k, count) {
        var p = secPage[k]
        found[p] |= bit
        textHits[p] += count
        secScore[k] += count
        secText[k] = 1
      })
    }

    var hits = []
    for (var p = 0; p < np; p++)
      if (found[p] === full)
        hits.push({
          page: p,
          score: titleScore[p] + W_HEADING * Math.min(headingHits[p], HEADING_CAP) +
                 Math.min(textHits[p], TEXT_CAP)
        })
    hits.sort(function (a, b) { return b.score - a.score || a.page - b.page })

    var termMap = {}
    for (t = 0; t < terms.length; t++)
      termMap[terms[t]] = true
    var ctx = { terms: terms, termMap: termMap, secScore: secScore, secText: secText, hay: hay }
    var items = new Array(hits.length)
    for (var r = 0; r < hits.length; r++)
      items[r] = group(hits[r], ctx, r < DETAILED_PAGES)
    return items
  }

  /* A page's matching sections, best first (ties in page order) */
  function sectionsOf(p, secScore) {
    var out = []
    for (var k = index.first[p]; k < index.first[p + 1]; k++)
      if (secScore[k] > 0)
        out.push(k)
    return out.sort(function (a, b) { return secScore[b] - secScore[a] || a - b })
  }

  /* One result group in Material's shape: the page first, then its matching sections.
     Material shows with its excerpt each section scoring as high as the first item; the
     best section gets the page's score, the others go under "more results on this page". */
  function group(hit, ctx, detailed) {
    var p = hit.page, page = index.pages[p], url = page[0], k0 = index.first[p]
    var label = context(page)
    var title = highlight(page[1], fold(page[1]), ctx.terms) +
                (label ? " <small>· " + escapeHTML(label) + "</small>" : "")
    var own = ctx.secText[k0] === 1
    // The page's own excerpt: around the hit, or where only its title matched, its opening
    // (which also keeps the list tall enough to scroll, and Material adds results on scroll)
    var items = [{
      location: url, title: title, score: hit.score, terms: ctx.termMap,
      text: !detailed ? "" : own ? excerpt(k0, ctx) : opening(p)
    }]
    // Past the first pages a page is listed by its title alone: a query like 的 matches
    // every page, and excerpts for all of them would only slow the answer down
    if (!detailed)
      return items
    var secs = sectionsOf(p, ctx.secScore)
    var top = secs.length ? ctx.secScore[secs[0]] : 0
    for (var i = 0, shown = 0; i < secs.length && shown < SECTIONS_SHOWN; i++) {
      var k = secs[i]
      if (k === k0)
        continue
      var score = !own && shown === 0 ? hit.score : hit.score * ctx.secScore[k] / (top + 1)
      items.push({
        location: url + "#" + index.anchors[index.sections[k]],
        title: highlight(line(index.all, index.titleStarts, k),
                         line(ctx.hay, index.titleStarts, k), ctx.terms),
        score: score, terms: ctx.termMap,
        text: ctx.secText[k] ? excerpt(k, ctx) : ""
      })
      shown++
    }
    return items
  }

  /* Shown beside a page title: the unit, and for a section page its material (the unit
     left out where the title already names it) */
  function context(page) {
    var c = page[2]
    if (typeof c !== "number")
      return c && page[1].indexOf(c) < 0 ? c : ""
    var home = index.pages[c], unit = home[2], title = home[1]
    return unit && title.indexOf(unit) < 0 ? unit + " · " + title : title
  }

  function line(s, starts, k) {
    return s.slice(starts[k], starts[k + 1] - 1)
  }

  /* A stretch of section k's text around the first match, highlighted, as a paragraph */
  function excerpt(k, ctx) {
    var terms = ctx.terms, hay = ctx.hay
    var from = index.textStarts[k], to = index.textStarts[k + 1] - 1, pos = to
    for (var i = 0; i < terms.length; i++) {
      var at = hay.indexOf(terms[i], from)
      if (at >= 0 && at + terms[i].length <= to && at < pos) pos = at
    }
    var a = Math.max(from, pos - SNIPPET_BEFORE), b = Math.min(to, a + SNIPPET_LENGTH)
    return "<p>" + (a > from ? "…" : "") +
      highlight(index.all.slice(a, b), hay.slice(a, b), terms) +
      (b < to ? "…" : "") + "</p>"
  }

  /* The first words of a page's text, as a paragraph */
  function opening(p) {
    for (var k = index.first[p]; k < index.first[p + 1]; k++) {
      var from = index.textStarts[k], to = index.textStarts[k + 1] - 1
      if (to > from)
        return "<p>" + escapeHTML(index.all.slice(from, Math.min(to, from + SNIPPET_LENGTH))) +
          (to > from + SNIPPET_LENGTH ? "…" : "") + "</p>"
    }
    return ""
  }

  /* Escape value and wrap every occurrence of any term (compared folded) in <mark> */
  function highlight(value, folded, terms) {
    var starts = [], ends = []
    for (var t = 0; t < terms.length; t++)
      for (var i = folded.indexOf(terms[t]); i >= 0; i = folded.indexOf(terms[t], i + terms[t].length)) {
        starts.push(i)
        ends.push(i + terms[t].length)
      }
    if (!starts.length)
      return escapeHTML(value)
    if (terms.length > 1) {                    // merge overlapping marks of different terms
      var order = starts.map(function (_, j) { return j })
        .sort(function (x, y) { return starts[x] - starts[y] })
      starts = order.map(function (j) { return starts[j] })
      ends = order.map(function (j) { return ends[j] })
    }
    var out = "", at = 0
    for (var j = 0; j < starts.length; j++) {
      var a = Math.max(starts[j], at), b = ends[j]
      while (j + 1 < starts.length && starts[j + 1] <= b)
        b = Math.max(b, ends[++j])
      if (b <= a)
        continue
      out += escapeHTML(value.slice(at, a)) + "<mark>" + escapeHTML(value.slice(a, b)) + "</mark>"
      at = b
    }
    return out + escapeHTML(value.slice(at))
  }

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }
  var SPECIAL = /[&<>"']/

  function escapeHTML(s) {
    return SPECIAL.test(s) ? s.replace(/[&<>"']/g, function (c) { return ENTITIES[c] }) : s
  }

  /* --- did-you-mean (gongwen-suggest.js; the same in gongwen/site/suggest.py) ---------- */

  var SUGGEST_JS = new URL("gongwen-suggest.js", here).href
  var SUGGEST_JSON = new URL("../../search/gongwen_suggest.json", here).href
  var SUGGEST_TABLE_JS = new URL("../../search/gongwen_suggest.js", here).href
  var suggesting = null

  // Loaded on the first query that finds nothing; from file:// the table is a script
  function loadSuggest() {
    if (!suggesting)
      suggesting = new Promise(function (resolve) {
        resolve(importScripts(SUGGEST_JS))     // a Promise under the shim
      }).then(function () {
        if (!SHIM)
          return fetch(SUGGEST_JSON).then(function (res) {
            if (!res.ok) throw new Error(SUGGEST_JSON + ": " + res.status)
            return res.json()
          })
        return new Promise(function (resolve) {
          resolve(importScripts(SUGGEST_TABLE_JS))
        }).then(function () { return self.gongwenSuggestTable })
      }).then(function (table) {
        self.gongwenSuggest.setTable(table)
      }).catch(function (err) {
        console.warn("gongwen search: no suggestions", err)
      })
    return suggesting
  }

  /* A query without hits, or with a known wrong form (never right: its hits are pages
     quoting the mistake): the first corrected query with hits goes first, under a group
     "您要找的是否是：…" linking to its best page, then the query's own other pages */
  function suggest(query, items) {
    var terms = queryTerms(query)
    if (!terms.some(function (t) { return Array.from(t).length >= 3 }))
      return Promise.resolve(items)
    return loadSuggest().then(function () {
      var s = self.gongwenSuggest
      if (!s || !s.ready() || (items.length && !s.hasWrongForm(terms)))
        return items
      var combos = s.corrections(terms)
      for (var i = 0; i < combos.length; i++) {
        var corrected = combos[i].join(" "), found = search(corrected), listed = {}
        if (!found.length)
          continue
        found.forEach(function (g) { listed[g[0].location] = true })
        return [[{
          location: found[0][0].location, score: found[0][0].score, terms: {}, text: "",
          title: "您要找的是否是：<mark>" + escapeHTML(corrected) + "</mark>"
        }]].concat(found, items.filter(function (g) { return !listed[g[0].location] }))
      }
      return items
    })
  }

  var answering = Promise.resolve()            // answers in the order of the queries

  addEventListener("message", function (ev) {
    var msg = ev.data || {}
    if (msg.type === SETUP) {
      load().then(function () { postMessage({ type: READY }) })
    } else if (msg.type === QUERY) {
      answering = answering.then(load).then(function () {
        var items = []
        try { items = search(msg.data) } catch (err) { console.warn(err) }
        return suggest(msg.data, items).catch(function (err) {
          console.warn(err)
          return items
        })
      }).then(function (items) {
        postMessage({ type: RESULT, data: { items: items } })
      })
    }
  })

  // A real worker runs beside the page, so it reads the index at once (Material sends
  // SETUP only after fetching its own search_index.json); under the shim the worker shares
  // the page's thread, so it waits until the reader opens the search (Material's SETUP).
  if (!SHIM)
    load()

  // For tests and benchmarks: the same search without the message round trip
  self.gongwenSearch = { load: load, search: search, terms: queryTerms, suggest: suggest }
})()
