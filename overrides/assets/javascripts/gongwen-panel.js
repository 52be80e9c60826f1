/* Preview diagnostics panel (hooks/gongwen_hooks.py): a click on a finding's place scrolls the
   paragraph or heading it is about into view and highlights it. The element is marked in the
   page already (class gongwen-flagged, the findings as its tooltip, data-gw-lines). */
document.addEventListener("click", function (ev) {
  var link = ev.target.closest ? ev.target.closest("a.gongwen-diag__go") : null;
  if (!link) return;
  var line = link.getAttribute("data-gw-line");
  var target = document.querySelector('.gongwen-flagged[data-gw-lines~="' + line + '"]');
  if (!target) return;
  ev.preventDefault();
  document.querySelectorAll(".gongwen-flagged--active").forEach(function (e) {
    e.classList.remove("gongwen-flagged--active");
  });
  target.classList.add("gongwen-flagged--active");
  // Centred: the sticky header would cover an element scrolled to the top.
  target.scrollIntoView({ block: "center" });
  if (target.id) history.replaceState(null, "", "#" + target.id);
});
