// Giving ledger: money in vs money out per month, drawn from the json_script "giving-ledger-chart".
// Amounts arrive as whole rupiah integers; the axis shows them the Indonesian way (1.250.000).
(function () {
  "use strict";
  var dataEl = document.getElementById("giving-ledger-chart");
  var canvas = document.getElementById("giving-ledger-canvas");
  if (typeof Chart === "undefined" || !dataEl || !canvas) { return; }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var chart = JSON.parse(dataEl.textContent);
  var rupiah = function (v) { return "Rp " + Number(v).toLocaleString("id-ID"); };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: chart.datasets.map(function (d) { return { label: d.label, data: d.data, backgroundColor: d.color }; })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + rupiah(ctx.parsed.y); } } }
      },
      scales: { y: { beginAtZero: true, ticks: { callback: rupiah } } }
    }
  });
})();
