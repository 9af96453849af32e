// The early-warning list refreshes itself: every poll_s seconds it fetches /dashboard/board.json for the
// current filters and swaps the table in place (no full reload). Filter changes apply at once.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var pollMs = Math.max(1, parseFloat(board.getAttribute("data-poll-s") || "15")) * 1000;
  var query = board.getAttribute("data-query") || "";

  function refresh() {
    if (document.hidden) { return; }
    fetch("/dashboard/board.json?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/dashboard/login"); return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        var focused = document.activeElement && document.activeElement.closest("#board")
          ? document.activeElement.getAttribute("href") : null;
        // a row's snooze menu the manager has open stays open across the swap
        var open = [].map.call(board.querySelectorAll("tr.ticket details.snooze[open]"), function (d) {
          return d.closest("tr.ticket").getAttribute("data-ticket");
        });
        board.innerHTML = data.rows_html;
        [].forEach.call(board.querySelectorAll("tr.ticket"), function (row) {
          var menu = row.querySelector("details.snooze");
          if (menu && open.indexOf(row.getAttribute("data-ticket")) >= 0) { menu.open = true; }
        });
        if (focused) {  // keep keyboard focus on the same link after the swap
          var again = board.querySelector('a[href="' + focused + '"]');
          if (again) { again.focus(); }
        }
        board.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  window.setInterval(refresh, pollMs);
  document.addEventListener("visibilitychange", refresh);

  var filters = document.querySelector("form.filters");
  if (filters) {
    filters.addEventListener("change", function () { filters.submit(); });
  }
})();
