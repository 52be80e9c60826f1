/*
 * gongwen did-you-mean: the candidates of a query term that finds nothing. The same as
 * candidates() and corrections() in gongwen/site/suggest.py (tests compare the two): keep
 * them in step. The table (search/gongwen_suggest.json, written at build time) comes in
 * through setTable(). Plain JS, no build step; loaded by gongwen-search.js with importScripts.
 */
(function () {
  "use strict"

  var MIN_LENGTH = 3, MAX_TRIES = 16
  var terms = null, known = null, fixes = null

  function setTable(table) {
    terms = table.terms.map(function (t) { return Array.from(t) })
    known = Object.create(null)
    table.terms.forEach(function (t) { known[t] = true })
    fixes = Object.create(null)
    Object.keys(table.fixes).forEach(function (w) { fixes[w] = table.fixes[w] })
  }

  // Code points, as Python counts them (a UTF-16 pair is one character)
  function nearMiss(a, b) {
    var i, diff = []
    if (a.length === b.length) {
      for (i = 0; i < a.length && diff.length < 3; i++)
        if (a[i] !== b[i]) diff.push(i)
      return diff.length === 1 || (diff.length === 2 && diff[1] === diff[0] + 1 &&
        a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]])
    }
    if (Math.abs(a.length - b.length) !== 1)
      return false
    var s = a.length < b.length ? a : b, l = a.length < b.length ? b : a
    for (i = 0; i < s.length && s[i] === l[i]; i++);
    for (; i < s.length; i++)
      if (s[i] !== l[i + 1]) return false
    return true
  }

  /* A query term (already folded) -> the correct terms it may have meant */
  function candidates(term) {
    var t = Array.from(term)
    if (!terms || t.length < MIN_LENGTH)
      return []
    if (fixes[term] !== undefined)
      return [fixes[term]]
    if (known[term])
      return []
    var same = [], other = []
    for (var i = 0; i < terms.length; i++)
      if (nearMiss(t, terms[i]))
        (terms[i].length === t.length ? same : other).push(terms[i].join(""))
    return same.concat(other)
  }

  /* Corrected term lists to try, in order (the last term varies fastest), at most MAX_TRIES */
  function corrections(queryTerms) {
    var options = queryTerms.map(candidates)
    if (!options.some(function (o) { return o.length }))
      return []
    options = options.map(function (o, i) { return o.length ? o : [queryTerms[i]] })
    var out = [], pick = options.map(function () { return 0 })
    while (out.length < MAX_TRIES) {
      out.push(pick.map(function (k, i) { return options[i][k] }))
      var j = pick.length - 1
      while (j >= 0 && ++pick[j] === options[j].length)
        pick[j--] = 0
      if (j < 0)
        break
    }
    return out
  }

  /* Whether a query term is a known wrong form (suggested even where the query has hits) */
  function hasWrongForm(queryTerms) {
    return queryTerms.some(function (t) { return fixes[t] !== undefined })
  }

  self.gongwenSuggest = {
    setTable: setTable,
    ready: function () { return terms !== null },
    hasWrongForm: hasWrongForm,
    candidates: candidates,
    corrections: corrections
  }
})()
