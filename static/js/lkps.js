// LKPS report: one chart beside the table, drawn from the json_script "lkps-chart".
// "stacked": bars per graduation year, stacked by bucket; "grouped": bars side by side;
// "stacked100": 8.e.2, one horizontal bar per aspect split into the four grades (percentages).
(function () {
  "use strict";
  var dataEl = document.getElementById("lkps-chart");
  var canvas = document.getElementById("lkps-canvas");
  if (typeof Chart === "undefined" || !dataEl || !canvas) { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var chart = JSON.parse(dataEl.textContent);
  var stacked = chart.type === "stacked" || chart.type === "stacked100";
  var horizontal = chart.type === "stacked100";
  var valueAxis = { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } };
  if (horizontal) { valueAxis.max = 100; valueAxis.ticks = { callback: function (v) { return v + "%"; } }; }
  var categoryAxis = { stacked: stacked, ticks: { autoSkip: false } };
  if (horizontal) { canvas.parentNode.style.minHeight = (chart.labels.length * 48 + 80) + "px"; }
  // Long aspect names wrap onto several lines instead of being cut off at the chart's edge.
  function wrap(label) {
    var lines = [], line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 22) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: horizontal ? chart.labels.map(wrap) : chart.labels,
      datasets: chart.datasets.map(function (d) {
        return { label: d.label, data: d.data, backgroundColor: d.color };
      })
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
    }
  });
})();
