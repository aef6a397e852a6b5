// Coverage dashboard: the 12-month trend of checks passed, one line per area unit.
(function () {
  "use strict";
  var canvas = document.getElementById("coverage-trend");
  var source = document.getElementById("coverage-trend-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = [
    "#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384",
    "#0dcaf0", "#6c757d", "#ffc107", "#795548", "#3f51b5", "#009688"
  ];
  data.datasets.forEach(function (dataset, index) {
    var colour = palette[index % palette.length];
    dataset.borderColor = colour;
    dataset.backgroundColor = colour;
    dataset.spanGaps = true;
    dataset.tension = 0.2;
  });
  new Chart(canvas, {
    type: "line",
    data: data,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } }
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
    }
  });
})();
