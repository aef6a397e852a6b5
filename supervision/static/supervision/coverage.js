// Coverage dashboard: the 12-month trend of checks passed as two lines, the whole district's
// share and the chosen unit's (supervision.selectors.trend). Choosing another unit redraws the
// chart in place and keeps the choice in the address and in the month form.
(function () {
  "use strict";
  var canvas = document.getElementById("coverage-trend");
  var source = document.getElementById("coverage-trend-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var select = document.getElementById("coverage-trend-unit");
  var DISTRICT = "#6c757d";
  var UNIT = "#0d6efd";

  function unitDataset(code) {
    for (var i = 0; i < data.datasets.length; i++) {
      if (data.datasets[i].code === code) {
        return data.datasets[i];
      }
    }
    return data.datasets[0];
  }

  function datasets(code) {
    var lines = [{
      label: canvas.dataset.districtLabel,
      data: data.district,
      borderColor: DISTRICT,
      backgroundColor: DISTRICT,
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 2,
      spanGaps: true,
      clip: false,
      tension: 0.2
    }];
    var unit = unitDataset(code);
    if (unit) {
      lines.push({
        label: unit.label,
        data: unit.data,
        borderColor: UNIT,
        backgroundColor: UNIT,
        borderWidth: 3,
        pointRadius: 4,
        spanGaps: true,
        clip: false,
        tension: 0.2
      });
    }
    return lines;
  }

  var chart = new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: datasets(data.selected) },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } }
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: function (item) {
              var value = item.parsed.y;
              return item.dataset.label + ": " + (value === null ? "—" : value + "%");
            }
          }
        }
      }
    }
  });

  if (!select) {
    return;
  }
  var button = document.querySelector("[data-trend-submit]");
  if (button) {
    button.hidden = true;  // the chart follows the choice at once
  }
  select.addEventListener("change", function () {
    chart.data.datasets = datasets(select.value);
    chart.update();
    var monthUnit = document.getElementById("coverage-month-unit");
    if (monthUnit) {
      monthUnit.value = select.value;
      monthUnit.disabled = false;
    }
    if (window.history && window.URLSearchParams) {
      var params = new URLSearchParams(window.location.search);
      params.set("unit", select.value);
      window.history.replaceState(null, "", "?" + params.toString());
    }
  });
})();
