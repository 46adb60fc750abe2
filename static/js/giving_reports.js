// Giving reports: three charts beside their tables (per campaign, per month, per kind), drawn from the
// json_script "giving-report-charts". Amounts are whole rupiah; labels and tooltips use Indonesian grouping.
(function () {
  "use strict";
  var dataEl = document.getElementById("giving-report-charts");
  if (typeof Chart === "undefined" || !dataEl) { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var charts = JSON.parse(dataEl.textContent);
  var COLOURS = ["#0b6e4f", "#3a9b78", "#f2a541", "#c8553d", "#9fd3bd", "#52606d"];
  function rupiah(value) {
    return "Rp " + Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function tooltip(context) {
    return (context.label ? context.label + ": " : "") + rupiah(context.raw);
  }
  function bar(id, chart, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (horizontal) { canvas.parentNode.style.minHeight = (chart.labels.length * 36 + 80) + "px"; }
    var valueAxis = { beginAtZero: true, ticks: { callback: function (v) { return rupiah(v); } } };
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ data: chart.data, backgroundColor: COLOURS[0] }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: tooltip } } },
        scales: horizontal ? { x: valueAxis } : { y: valueAxis }
      }
    });
  }
  bar("chart-months", charts.months, false);
  bar("chart-campaigns", charts.campaigns, true);
  var kinds = document.getElementById("chart-kinds");
  if (kinds) {
    var hasData = charts.kinds.data.some(function (v) { return v > 0; });
    new Chart(kinds, {
      type: hasData ? "doughnut" : "bar",
      data: { labels: charts.kinds.labels, datasets: [{ data: charts.kinds.data, backgroundColor: COLOURS }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 }, display: hasData }, tooltip: { callbacks: { label: tooltip } } }
      }
    });
  }
})();
