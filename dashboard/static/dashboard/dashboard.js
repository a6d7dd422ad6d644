// Draws the dashboard's charts from the page's JSON (json_script "chart-data") with the chart
// library served from our own static files. Without the library the tables stay as they are.
(function () {
  "use strict";

  // Year and region: show the new figures as soon as one is chosen.
  var filters = document.getElementById("dashboard-filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filters.submit(); });
    });
  }

  var source = document.getElementById("chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#9b1b1b", "#d9822b", "#2e7d32", "#0b4f9c", "#6a1b9a", "#00838f", "#827717", "#5d4037"];
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 2 });
  Chart.defaults.font.size = 14;
  Chart.defaults.animation = false;

  function tooltip(unit) {
    return { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + numberFormat.format(ctx.parsed.y ?? ctx.parsed) + " " + unit; } } };
  }

  data.trends.forEach(function (trend) {
    var canvas = document.querySelector('canvas[data-trend="' + trend.key + '"]');
    if (!canvas || !trend.months) { return; }
    var datasets = [{ label: data.labels.actual, data: trend.months, borderColor: palette[0], backgroundColor: palette[0], tension: 0.2 }];
    if (trend.pace) {
      datasets.push({ label: data.labels.pace, data: trend.pace, borderColor: "#888", borderDash: [6, 4], pointRadius: 0, fill: false });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels.months, datasets: datasets },
      options: { responsive: true, plugins: { tooltip: tooltip(trend.unit) }, scales: { y: { beginAtZero: true, title: { display: true, text: trend.unit } } } }
    });
  });

  data.breakdowns.forEach(function (breakdown) {
    var canvas = document.querySelector('canvas[data-breakdown="' + breakdown.name + '"]');
    if (!canvas || !breakdown.values.length) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: breakdown.labels, datasets: [{ label: breakdown.title, data: breakdown.values, backgroundColor: palette }] },
      options: { indexAxis: "y", responsive: true, plugins: { legend: { display: false }, tooltip: tooltip(breakdown.unit) },
                 scales: { x: { beginAtZero: true, title: { display: true, text: breakdown.unit } } } }
    });
  });
})();
