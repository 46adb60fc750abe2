// Tracer results: one bar chart per question, the waiting time, and competences A vs B. Data from json_script;
// every chart has a table beside it.
(function () {
  "use strict";
  var dataEl = document.getElementById("tracer-chart-data");
  if (typeof Chart === "undefined" || !dataEl) { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var data = JSON.parse(dataEl.textContent);
  var options = { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };

  function bar(canvas, labels, datasets, opts) {
    if (!canvas) { return; }
    new Chart(canvas, { type: "bar", data: { labels: labels, datasets: datasets }, options: opts || options });
  }

  data.distributions.forEach(function (d) {
    bar(document.getElementById("chart-" + d.code), d.labels,
        [{ label: data.count_label, data: d.counts, backgroundColor: "#0b6e4f" }]);
  });
  bar(document.getElementById("chart-waiting"), data.waiting.labels,
      [{ label: data.count_label, data: data.waiting.counts, backgroundColor: "#0b6e4f" }]);
  bar(document.getElementById("chart-competences"), data.competences.labels, [
    { label: data.competences.label_a, data: data.competences.a, backgroundColor: "#9fd3bd" },
    { label: data.competences.label_b, data: data.competences.b, backgroundColor: "#0b6e4f" }
  ], { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, max: 5 } } });
})();
