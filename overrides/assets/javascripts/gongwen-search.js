/*
 * gongwen search worker. Replaces Material's lunr worker behind the same search UI: it
 * speaks Material's worker protocol (SETUP 0 -> READY 1, QUERY 2 -> RESULT 3) and answers
 * with the pages whose text contains every term of the query as a substring.
 *
 * The index is written by gongwen/site/search_index.py, which also holds the same search in
 * Python (tests compare the two): keep matching and scores in step with it. A built site
 * has format 2 (gongwen/site/search_shards.py): a meta file read at once, gram shards and
 * text chunks fetched when a query needs them and kept; a preview has format 1 (one file).
 * Sites listed in search/peers.json (a split build's other parts) are searched beside this one.
 *
 * Plain JS, no build step. Runs as a real worker over http(s), and inside the iframe of
 * Material's iframe-worker shim from file://, reading search/gongwen_index.js by script tag.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

  // Ranking, as in gongwen/site/search_index.py
  var W_TITLE = 1000, W_HEADING = 100, HEADING_CAP = 5, TEXT_CAP = 99
  // Display only: sections listed under a page, and how many pages get them and excerpts.
  // A built site (format 2) fetches a text chunk for each such page, and a fetch costs
  // more than the search itself: there they go to the first page of Material's list only.
  var SECTIONS_SHOWN = 8, DETAILED_PAGES = 50, FETCHED_PAGES = 10
  var SNIPPET_BEFORE = 24, SNIPPET_LENGTH = 110

  // Under the shim this script runs in an iframe whose location is the page's own;
  // the script element still tells where the script came from.
  var SHIM = typeof document !== "undefined"
  var here = (SHIM && document.currentScript && document.currentScript.src) || self.location.href
  var ROOT = new URL("../../", here).href      // the site's root (the script is in assets/javascripts/)
  var JS_URL = new URL("search/gongwen_index.js", ROOT).href

  var sites = null                             // own site first, then the peers (split build)
  var loading = null
  var asked = 0                                // queries received; an overtaken answer is dropped

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

  /* What both formats share: pages, anchors, sections (see search_index.py), the section
     titles as one string and where each starts. Format 1 holds the texts in the same string;
     format 2 (search_shards.py) fetches them and the gram shards on demand. */
  function prepare(all, prefix) {
    var nl = all.indexOf("\n")
    var meta = JSON.parse(all.slice(0, nl))
    if (meta.v !== 1 && meta.v !== 2)
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
    var site = {
      v: meta.v, prefix: prefix, pages: meta.pages, anchors: meta.anchors,
      sections: meta.sections, secPage: secPage, first: first,
      all: all, folded: null, titleStarts: lineStarts(all, titlesFrom, textFrom - 1)
    }
    if (n > 0 && site.titleStarts.length !== n + 1)
      throw new Error("gongwen search: index does not match its header")
    if (meta.v === 1) {
      site.textStarts = lineStarts(all, textFrom, all.length)
      if (n > 0 && site.textStarts.length !== n + 1)
        throw new Error("gongwen search: index does not match its header")
    } else {
      site.bits = meta.bits
      site.chunks = meta.chunks
      site.shards = {}                         // shard number -> Promise of its tables
      site.texts = {}                          // chunk number -> Promise of its section texts
    }
    return site
  }

  /* The string to scan for these terms: the titles (format 2) or the whole index (format 1).
     Folding changes only ASCII letters, so terms without one match the original at the same
     places; the folded copy is made only when a query first needs it. */
  function haystack(site, terms) {
    if (!/[a-z]/.test(terms.join("")))
      return site.all
    if (site.folded === null)
      site.folded = fold(site.all)
    return site.folded
  }

  /* Bytes of url, inflated if they are gzip (a server may also have inflated them already) */
  function fetchBytes(url) {
    return fetch(url).then(function (res) {
      if (!res.ok)
        throw new Error(url + ": " + res.status)
      return res.arrayBuffer()
    }).then(function (buf) {
      var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength))
      if (head[0] !== 0x1f || head[1] !== 0x8b)
        return buf
      return new Response(new Blob([buf]).stream()
        .pipeThrough(new DecompressionStream("gzip"))).arrayBuffer()
    })
  }

  function utf16(buf) {
    return new TextDecoder("utf-16le").decode(buf)
  }

  /* A site's index: format 2's meta file; else format 1 (a preview writes it), gzipped or
     not; else an offline build's script served over http. */
  function fetchSite(root, prefix) {
    var url = function (path) { return new URL(path, root).href }
    return fetchBytes(url("search/gongwen_meta.bin.gz")).catch(function () {
      return fetchBytes(url("search/gongwen_index.bin")).catch(function () {
        return fetchBytes(url("search/gongwen_index.bin.gz"))
      })
    }).then(utf16, function (err) {
      if (prefix)                              // a peer that is not there is not an error here
        throw err
      return scriptIndex()
    }).then(function (all) {
      var site = prepare(all, prefix)
      site.root = root
      return site
    })
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

  /* The sites a split build's join lists beside this one (search/peers.json: their roots
     relative to this site's root); a plain build lists none */
  function fetchPeers() {
    return fetch(new URL("search/peers.json", ROOT).href).then(function (res) {
      return res.ok ? res.json() : { peers: [] }
    }).then(function (data) {
      return (data && Array.isArray(data.peers) ? data.peers : []).filter(function (p) {
        return typeof p === "string" && p && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(p)
      })
    }).catch(function () { return [] })
  }

  function load() {
    if (!loading) {
      var own = SHIM ? scriptIndex().then(function (all) { return prepare(all, "") })
                     : fetchSite(ROOT, "")
      var peers = SHIM ? Promise.resolve([]) : fetchPeers().then(function (list) {
        return Promise.all(list.map(function (p) {
          var prefix = p.replace(/\/?$/, "/")
          return fetchSite(new URL(prefix, ROOT).href, prefix).catch(function (err) {
            console.warn("gongwen search: peer " + p + " skipped", err)
            return null
          })
        }))
      })
      loading = Promise.all([own, peers]).then(function (got) {
        sites = [got[0]].concat(got[1].filter(Boolean))
      }).catch(function (err) {
        sites = []
        console.error("gongwen search: cannot load the index", err)
      })
    }
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

  // --- format 2: gram shards ------------------------------------------------------------

  function gramKey(term, at) {
    return at + 1 < term.length
      ? ((term.charCodeAt(at) << 16) | term.charCodeAt(at + 1)) >>> 0
      : term.charCodeAt(at)
  }

  function shardOf(site, key) {
    return site.bits ? Math.imul(key, 2654435761) >>> (32 - site.bits) : 0
  }

  function pad4(n) {
    return ("000" + n).slice(-4)
  }

  /* A shard's tables (layout in search_shards.py); an absent shard holds no grams */
  function shard(site, s) {
    if (!site.shards[s])
      site.shards[s] = fetchBytes(new URL("search/grams/" + pad4(s) + ".bin.gz", site.root).href)
        .then(function (buf) {
          var h = new Uint32Array(buf, 0, 5), g = h[1], e = h[2], p = h[3], at = 20
          var view = function (Type, n) { var a = new Type(buf, at, n); at += n * Type.BYTES_PER_ELEMENT; return a }
          return {
            keys: view(Uint32Array, g), entryStart: view(Uint32Array, g + 1),
            posStart: view(Uint32Array, g + 1), secs: view(Uint32Array, e),
            counts: view(Uint32Array, e), pos: view(h[4] === 2 ? Uint16Array : Uint32Array, p)
          }
        }, function (err) {
          if (/: 404$/.test(err.message))
            return null
          delete site.shards[s]                // a failed fetch is tried again next query
          throw err
        })
    return site.shards[s]
  }

  /* The postings of one gram: { secs, counts, pos, from (first entry), to, pos0 } or null */
  function posting(site, key) {
    return shard(site, shardOf(site, key)).then(function (t) {
      if (!t)
        return null
      var lo = 0, hi = t.keys.length - 1
      while (lo <= hi) {
        var mid = (lo + hi) >> 1, k = t.keys[mid]
        if (k === key)
          return { t: t, from: t.entryStart[mid], to: t.entryStart[mid + 1], pos0: t.posStart[mid] }
        if (k < key) lo = mid + 1; else hi = mid - 1
      }
      return null
    })
  }

  /* Offsets of the pairs that together cover a term of length L >= 2 */
  function pairOffsets(L) {
    var out = []
    for (var at = 0; at + 2 <= L; at += 2)
      out.push(at)
    if (out[out.length - 1] + 2 < L)
      out.push(L - 2)
    return out
  }

  function lowerBound(a, from, to, x) {
    while (from < to) {
      var mid = (from + to) >> 1
      if (a[mid] < x) from = mid + 1; else to = mid
    }
    return from
  }

  /* Promise: call fn(section, count) for each section whose text holds term, as scan() does */
  function textHits(site, term, fn) {
    if (term.length === 1)
      return posting(site, gramKey(term, 0)).then(function (g) {
        if (g)
          for (var e = g.from; e < g.to; e++)
            fn(g.t.secs[e], Math.min(g.t.counts[e], TEXT_CAP))
      })
    var offs = pairOffsets(term.length)
    return Promise.all(offs.map(function (at) { return posting(site, gramKey(term, at)) }))
      .then(function (gs) {
        if (gs.some(function (g) { return !g }))
          return
        // Where each entry's positions start, per gram
        var starts = gs.map(function (g) {
          var out = new Uint32Array(g.to - g.from + 1), q = g.pos0
          for (var e = g.from; e < g.to; e++) { out[e - g.from] = q; q += g.t.counts[e] }
          out[g.to - g.from] = q
          return out
        })
        var lead = 0
        for (var i = 1; i < gs.length; i++)
          if (gs[i].to - gs[i].from < gs[lead].to - gs[lead].from) lead = i
        var L = gs[lead], Ls = starts[lead], cursor = gs.map(function (g) { return g.from })
        for (var e = L.from; e < L.to; e++) {
          var sec = L.t.secs[e], where = [], ok = true
          for (i = 0; i < gs.length && ok; i++) {
            if (i === lead) { where.push(e); continue }
            var g = gs[i], f = lowerBound(g.t.secs, cursor[i], g.to, sec)
            cursor[i] = f
            ok = f < g.to && g.t.secs[f] === sec
            where.push(f)
          }
          if (!ok)
            continue
          var count = 0, last = -Infinity
          for (var q = Ls[e - L.from]; q < Ls[e - L.from + 1] && count < TEXT_CAP; q++) {
            var start = L.t.pos[q] - offs[lead]
            if (start < last + term.length || start < 0)
              continue
            var all = true
            for (i = 0; i < gs.length && all; i++) {
              if (i === lead) continue
              var gi = gs[i], ei = where[i] - gi.from, a = starts[i][ei], b = starts[i][ei + 1]
              var at = lowerBound(gi.t.pos, a, b, start + offs[i])
              all = at < b && gi.t.pos[at] === start + offs[i]
            }
            if (all) { count++; last = start }
          }
          if (count)
            fn(sec, count)
        }
      })
  }

  /* Promise: the texts of sections ks of a format-2 site are in site.text (by section) */
  function fetchTexts(site, ks) {
    var need = {}, out = []
    ks.forEach(function (k) {
      var c = lowerBound(site.chunks, 0, site.chunks.length, k + 1) - 1
      need[c] = true
    })
    Object.keys(need).forEach(function (c) {
      c = +c
      if (!site.texts[c])
        site.texts[c] = fetchBytes(new URL("search/text/" + pad4(c) + ".bin.gz", site.root).href)
          .then(function (buf) { return utf16(buf).split("\n") },
                function (err) { delete site.texts[c]; throw err })
      out.push(site.texts[c].then(function (lines) { return [c, lines] }))
    })
    return Promise.all(out).then(function (got) {
      var byChunk = {}
      got.forEach(function (x) { byChunk[x[0]] = x[1] })
      return function (k) {
        var c = lowerBound(site.chunks, 0, site.chunks.length, k + 1) - 1
        return byChunk[c] ? byChunk[c][k - site.chunks[c]] || "" : ""
      }
    })
  }

  // --- the search ---------------------------------------------------------------------

  /* Promise of one site's pages holding every term: [{ page, score, ctx }] */
  function searchSite(site, terms, siteNo) {
    var np = site.pages.length, ns = site.sections.length, full = (1 << terms.length) - 1
    var found = new Int32Array(np), titleScore = new Int32Array(np)
    var headingHits = new Int32Array(np), textCount = new Int32Array(np)
    var secScore = new Int32Array(ns), secText = new Uint8Array(ns)
    var first = site.first, secPage = site.secPage
    var hay = haystack(site, terms), pending = []

    for (var t = 0; t < terms.length; t++) {
      var bit = 1 << t
      scan(hay, site.titleStarts, terms[t], function (k) {
        var p = secPage[k]
        found[p] |= bit
        if (first[p] === k) { titleScore[p] += W_TITLE; secScore[k] += W_TITLE }
        else { headingHits[p] += 1; secScore[k] += W_HEADING }
      })
      var onText = (function (bit) {
        return function (k, count) {
          var p = secPage[k]
          found[p] |= bit
          textCount[p] += count
          secScore[k] += count
          secText[k] = 1
        }
      })(bit)
      if (site.v === 1)
        scan(hay, site.textStarts, terms[t], onText)
      else
        pending.push(textHits(site, terms[t], onText))
    }
    return Promise.all(pending).then(function () {
      var ctx = { site: site, secScore: secScore, secText: secText, hay: hay }
      var hits = []
      for (var p = 0; p < np; p++)
        if (found[p] === full)
          hits.push({
            site: siteNo, page: p, ctx: ctx,
            score: titleScore[p] + W_HEADING * Math.min(headingHits[p], HEADING_CAP) +
                   Math.min(textCount[p], TEXT_CAP)
          })
      return hits
    })
  }

  /* Promise of Material's result items for query: groups, best page first */
  function search(query) {
    var terms = queryTerms(query)
    if (!terms.length || !sites || !sites.length)
      return Promise.resolve([])
    return Promise.all(sites.map(function (site, i) { return searchSite(site, terms, i) }))
      .then(function (lists) {
        var hits = [].concat.apply([], lists)
        hits.sort(function (a, b) { return b.score - a.score || a.site - b.site || a.page - b.page })
        var termMap = {}
        for (var t = 0; t < terms.length; t++)
          termMap[terms[t]] = true
        var detailed = sites.some(function (site) { return site.v !== 1 }) ? FETCHED_PAGES : DETAILED_PAGES
        var shown = hits.slice(0, detailed)
        // Format 2: fetch the texts of what the first results show
        return Promise.all(sites.map(function (site, i) {
          if (site.v === 1)
            return function (k) { return line(site.all, site.textStarts, k) }
          var ks = []
          shown.forEach(function (h) {
            if (h.site !== i) return
            for (var k = site.first[h.page]; k < site.first[h.page + 1]; k++)
              if (h.ctx.secText[k] || k === site.first[h.page]) ks.push(k)
          })
          return ks.length ? fetchTexts(site, ks) : function () { return "" }
        })).then(function (textOf) {
          var items = new Array(hits.length)
          for (var r = 0; r < hits.length; r++)
            items[r] = group(hits[r], terms, termMap, textOf[hits[r].site], r < detailed)
          return items
        })
      })
  }

  /* A page's matching sections, best first (ties in page order) */
  function sectionsOf(site, p, secScore) {
    var out = []
    for (var k = site.first[p]; k < site.first[p + 1]; k++)
      if (secScore[k] > 0)
        out.push(k)
    return out.sort(function (a, b) { return secScore[b] - secScore[a] || a - b })
  }

  /* One result group in Material's shape: the page first, then its matching sections.
     Material shows with its excerpt each section scoring as high as the first item; the
     best section gets the page's score, the others go under "more results on this page".
     A peer's locations are relative to this site's root, as Material resolves them. */
  function group(hit, terms, termMap, textOf, detailed) {
    var ctx = hit.ctx, site = ctx.site, p = hit.page, page = site.pages[p]
    var url = site.prefix + page[0], k0 = site.first[p]
    var label = context(site, page)
    var title = highlight(page[1], fold(page[1]), terms) +
                (label ? " <small>· " + escapeHTML(label) + "</small>" : "")
    var own = ctx.secText[k0] === 1
    // The page's own excerpt: around the hit, or where only its title matched, its opening
    // (which also keeps the list tall enough to scroll, and Material adds results on scroll)
    var items = [{
      location: url, title: title, score: hit.score, terms: termMap,
      text: !detailed ? "" : own ? excerpt(textOf(k0), terms) : opening(site, p, textOf)
    }]
    // Past the first pages a page is listed by its title alone: a query like 的 matches
    // every page, and excerpts for all of them would only slow the answer down
    if (!detailed)
      return items
    var secs = sectionsOf(site, p, ctx.secScore)
    var top = secs.length ? ctx.secScore[secs[0]] : 0
    for (var i = 0, shown = 0; i < secs.length && shown < SECTIONS_SHOWN; i++) {
      var k = secs[i]
      if (k === k0)
        continue
      var score = !own && shown === 0 ? hit.score : hit.score * ctx.secScore[k] / (top + 1)
      items.push({
        location: url + "#" + site.anchors[site.sections[k]],
        title: highlight(line(site.all, site.titleStarts, k),
                         line(ctx.hay, site.titleStarts, k), terms),
        score: score, terms: termMap,
        text: ctx.secText[k] ? excerpt(textOf(k), terms) : ""
      })
      shown++
    }
    return items
  }

  /* Shown beside a page title: the unit, and for a section page its material (the unit
     left out where the title already names it) */
  function context(site, page) {
    var c = page[2]
    if (typeof c !== "number")
      return c && page[1].indexOf(c) < 0 ? c : ""
    var home = site.pages[c], unit = home[2], title = home[1]
    return unit && title.indexOf(unit) < 0 ? unit + " · " + title : title
  }

  function line(s, starts, k) {
    return s.slice(starts[k], starts[k + 1] - 1)
  }

  /* A stretch of a section's text around the first match, highlighted, as a paragraph */
  function excerpt(text, terms) {
    var hay = fold(text), to = text.length, pos = to
    for (var i = 0; i < terms.length; i++) {
      var at = hay.indexOf(terms[i])
      if (at >= 0 && at < pos) pos = at
    }
    var a = Math.max(0, pos - SNIPPET_BEFORE), b = Math.min(to, a + SNIPPET_LENGTH)
    return "<p>" + (a > 0 ? "…" : "") +
      highlight(text.slice(a, b), hay.slice(a, b), terms) +
      (b < to ? "…" : "") + "</p>"
  }

  /* The first words of a page's text, as a paragraph */
  function opening(site, p, textOf) {
    for (var k = site.first[p]; k < site.first[p + 1]; k++) {
      var text = textOf(k)
      if (text)
        return "<p>" + escapeHTML(text.slice(0, SNIPPET_LENGTH)) +
          (text.length > SNIPPET_LENGTH ? "…" : "") + "</p>"
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
  var SUGGEST_JSON = new URL("search/gongwen_suggest.json", ROOT).href
  var SUGGEST_TABLE_JS = new URL("search/gongwen_suggest.js", ROOT).href
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
      var next = function (i) {                // the corrections in turn, until one finds pages
        if (i >= combos.length)
          return items
        var corrected = combos[i].join(" ")
        return search(corrected).then(function (found) {
          if (!found.length)
            return next(i + 1)
          var listed = {}
          found.forEach(function (g) { listed[g[0].location] = true })
          return [[{
            location: found[0][0].location, score: found[0][0].score, terms: {}, text: "",
            title: "您要找的是否是：<mark>" + escapeHTML(corrected) + "</mark>"
          }]].concat(found, items.filter(function (g) { return !listed[g[0].location] }))
        })
      }
      return next(0)
    })
  }

  addEventListener("message", function (ev) {
    var msg = ev.data || {}
    if (msg.type === SETUP) {
      load().then(function () { postMessage({ type: READY }) })
    } else if (msg.type === QUERY) {
      var mine = ++asked
      load().then(function () {
        return search(msg.data).then(function (items) {
          return suggest(msg.data, items).catch(function (err) {
            console.warn(err)
            return items
          })
        })
      }).catch(function (err) {
        console.warn(err)
        return []
      }).then(function (items) {
        if (mine === asked)                    // typing went on: a newer answer is coming
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
