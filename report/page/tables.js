// Sortable tables: a click (or Enter) on a header sorts by its column,
// numbers as numbers; again reverses.
(function () {
  "use strict";
  function key(td, num) {
    var t = td.textContent;
    if (!num) return t.toLowerCase();
    var n = parseFloat(t.replace(/[^0-9.\-]/g, ""));
    return isNaN(n) ? -Infinity : n;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("th");
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      tr.querySelectorAll("td").forEach(function (td, i) { if (heads[i] && heads[i].classList.contains("num")) td.className = "num"; });
    });
    heads.forEach(function (th, col) {
      function sort() {
        var num = th.classList.contains("num");
        var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
        if (!num && !th.hasAttribute("aria-sort")) dir = "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col], num), y = key(b.cells[col], num);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return dir === "ascending" ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
  document.body.dataset.ready = "1";
})();
