// Alumni import progress: polls the job's JSON status and moves the bar; reloads the page once the job has
// finished a step, so the server renders the result. Works after a reload too: the state lives on the server.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  var processed = document.getElementById("import-processed");
  var total = document.getElementById("import-total");
  var status = document.getElementById("import-status");
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var delay = 1000;

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        bar.style.width = data.percent + "%";
        bar.textContent = data.percent + "%";
        holder.setAttribute("aria-valuenow", data.percent);
        processed.textContent = format.format(data.processed_rows);
        total.textContent = format.format(data.total_rows);
        status.textContent = data.status_display;
        if (data.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);  // the server is busy or away: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
