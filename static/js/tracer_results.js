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
  // Long answer labels were cut at the chart's edge: the axis shows at most SHORT characters of a label (the
  // tooltip and the table beside the chart keep it whole), tilted at most 45 degrees, with room around the plot.
  var SHORT = 18;
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    return label.length > SHORT ? label.slice(0, SHORT - 1) + "\u2026" : label;
  }
  var categoryAxis = { ticks: { autoSkip: false, maxRotation: 45, minRotation: 0, callback: shortLabel } };
  var layout = { padding: { top: 8, right: 12, bottom: 4, left: 4 } };
  var options = { responsive: true, maintainAspectRatio: false, layout: layout,
                  scales: { x: categoryAxis, y: { beginAtZero: true, ticks: { precision: 0 } } } };

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
  ], { responsive: true, maintainAspectRatio: false, layout: layout,
       scales: { x: categoryAxis, y: { beginAtZero: true, max: 5 } } });
})();
