/* Draws the report's charts from the inline data. Each part marks itself data-rendered="true" once drawn (or once
   it has nothing to draw); the body gets data-report-ready="true" when every part has been tried. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var segmentsById = {};
  data.segments.forEach(function (segment) { segmentsById[segment.id] = segment; });

  var grouped = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
  var precise = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });
  var percent = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 });
  var compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });

  /** Axis ticks: "25k" for large values, but all the digits a narrow range needs ("2.95", not a second "3"). */
  function tickNumber(value) {
    return Math.abs(value) >= 1000 ? compact.format(value) : precise.format(value);
  }

  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#4b5563";
  Chart.defaults.borderColor = "#eceef1";
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  Chart.defaults.plugins.tooltip.backgroundColor = "rgba(31, 41, 55, 0.92)";

  function alpha(hex, opacity) {
    var value = parseInt(hex.slice(1), 16);
    return "rgba(" + (value >> 16) + ", " + ((value >> 8) & 255) + ", " + (value & 255) + ", " + opacity + ")";
  }

  function axisTitle(text) {
    return { display: true, text: text, color: "#6b7280", font: { weight: "600" } };
  }

  function nameOf(segmentId) {
    return segmentsById[segmentId].name;
  }

  /** Axis labels and legends have little room; tooltips and cards show the full name. */
  function shortened(text, maxLength) {
    return text.length <= maxLength ? text : text.slice(0, maxLength - 1) + "\u2026";
  }

  var monthNames = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  function monthLabel(yearMonth) {
    var parts = yearMonth.split("-");
    return monthNames.format(new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 1)));
  }

  /** A dashed vertical line with a label at the chosen k, drawn over the curves. */
  function shortLegendLabels(chart) {
    return Chart.defaults.plugins.legend.labels.generateLabels(chart).map(function (label) {
      label.text = shortened(label.text, 32);
      return label;
    });
  }

  var chosenKMarker = {
    id: "chosenKMarker",
    afterDatasetsDraw: function (chart, args, options) {
      if (options.k === null || options.k === undefined) {
        return;
      }
      var x = chart.scales.x.getPixelForValue(options.k);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "rgba(30, 58, 95, 0.45)";
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.fillStyle = "#1e3a5f";
      ctx.font = "600 11px " + Chart.defaults.font.family;
      ctx.textAlign = "left";
      ctx.fillText("chosen k = " + options.k, x + 6, area.top + 12);
      ctx.restore();
    }
  };

  function drawKSelection(canvas) {
    var points = data.kSelection;
    var chosenIndex = points.findIndex(function (p) { return p.chosen; });
    var hasSilhouette = points.some(function (p) { return p.silhouette !== null; });
    function emphasis(normal, chosen) {
      return points.map(function (p) { return p.chosen ? chosen : normal; });
    }
    var datasets = [{
      label: "Cost",
      data: points.map(function (p) { return { x: p.k, y: p.cost }; }),
      yAxisID: "cost",
      borderColor: "#1e3a5f",
      backgroundColor: emphasis("#1e3a5f", "#1e3a5f"),
      pointRadius: emphasis(3, 7),
      pointStyle: emphasis("circle", "rectRot"),
      borderWidth: 2
    }];
    if (hasSilhouette) {
      datasets.push({
        label: "Silhouette",
        data: points.map(function (p) { return { x: p.k, y: p.silhouette }; }),
        yAxisID: "silhouette",
        borderColor: "#c2410c",
        backgroundColor: emphasis("#c2410c", "#c2410c"),
        pointRadius: emphasis(3, 7),
        pointStyle: emphasis("circle", "rectRot"),
        borderDash: [5, 4],
        borderWidth: 2,
        spanGaps: true
      });
    }
    var ks = points.map(function (p) { return p.k; });
    var scales = {
      x: {
        // Half a step of room either side, so the first and last points are not cut by the plot's edge.
        type: "linear", title: axisTitle("k (number of segments)"),
        min: Math.min.apply(null, ks) - 0.5,
        max: Math.max.apply(null, ks) + 0.5,
        afterBuildTicks: function (axis) {
          axis.ticks = ks.map(function (k) { return { value: k }; });
        },
        grid: { display: false }
      },
      cost: {
        type: "linear", position: "left", title: axisTitle("Cost"), grace: "5%",
        ticks: { callback: tickNumber }
      }
    };
    if (hasSilhouette) {
      scales.silhouette = {
        type: "linear", position: "right", title: axisTitle("Silhouette"), grace: "5%",
        grid: { drawOnChartArea: false }
      };
    }
    return new Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      plugins: [chosenKMarker],
      options: {
        scales: scales,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        plugins: {
          chosenKMarker: { k: chosenIndex >= 0 ? points[chosenIndex].k : null },
          legend: { labels: { usePointStyle: true, pointStyle: "line" } },
          tooltip: {
            callbacks: {
              title: function (items) { return "k = " + items[0].parsed.x + (points[items[0].dataIndex].chosen ? " (chosen)" : ""); },
              label: function (item) { return item.dataset.label + ": " + precise.format(item.parsed.y); },
              afterBody: function (items) {
                var point = points[items[0].dataIndex];
                var lines = [];
                if (point.stability !== null) { lines.push("Stability: " + precise.format(point.stability)); }
                if (point.reason) { lines.push(point.reason); }
                return lines;
              }
            }
          }
        }
      }
    });
  }

  function drawSizes(canvas) {
    var segments = data.segments;
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: segments.map(function (s) { return s.name; }),
        datasets: [{
          label: "Customers",
          data: segments.map(function (s) { return s.size; }),
          backgroundColor: segments.map(function (s) { return s.color; }),
          borderRadius: 4,
          maxBarThickness: 34
        }]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { title: axisTitle("Customers"), beginAtZero: true, ticks: { callback: tickNumber } },
          y: { grid: { display: false }, ticks: { callback: function (v) { return shortened(this.getLabelForValue(v), 26); } } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return segments[items[0].dataIndex].name; },
              label: function (item) {
                var s = segments[item.dataIndex];
                return grouped.format(s.size) + " customers (" + (s.share === null ? "n/a" : percent.format(s.share)) + ")";
              }
            }
          }
        }
      }
    });
  }

  function drawFamd(canvas) {
    var famd = data.famd;
    function title(dimension) {
      var share = famd.inertia[dimension - 1];
      return "FAMD dimension " + dimension
          + (share === undefined || share === null ? "" : " (" + percent.format(share) + " of inertia)");
    }
    return new Chart(canvas, {
      type: "scatter",
      data: {
        datasets: famd.series.map(function (series) {
          var colour = segmentsById[series.segmentId].color;
          return {
            label: nameOf(series.segmentId),
            data: series.x.map(function (x, i) { return { x: x, y: series.y[i] }; }),
            backgroundColor: alpha(colour, 0.55),
            borderColor: alpha(colour, 0.9),
            borderWidth: 0.5,
            pointRadius: 2.5,
            pointHoverRadius: 5
          };
        })
      },
      options: {
        scales: {
          x: { title: axisTitle(title(1)) },
          y: { title: axisTitle(title(2)) }
        },
        plugins: {
          legend: {
            position: "top", align: "start",
            labels: { usePointStyle: true, pointStyle: "circle", generateLabels: shortLegendLabels }
          },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": (" + precise.format(item.parsed.x) + ", " + precise.format(item.parsed.y) + ")";
              }
            }
          }
        }
      }
    });
  }

  function drawPremium(canvas) {
    var premium = data.premium;
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: premium.months.map(monthLabel),
        datasets: premium.series.map(function (series, index) {
          var colour = segmentsById[series.segmentId].color;
          return {
            label: nameOf(series.segmentId),
            data: series.values,
            borderColor: colour,
            backgroundColor: alpha(colour, 0.35),
            fill: index === 0 ? "origin" : "-1",
            borderWidth: 1.5,
            pointRadius: premium.months.length === 1 ? 4 : 0,
            pointHoverRadius: 4,
            tension: 0.25
          };
        })
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, title: axisTitle("Premium"), ticks: { callback: tickNumber } }
        },
        plugins: {
          legend: { position: "top", align: "start", labels: { generateLabels: shortLegendLabels } },
          tooltip: {
            itemSort: function (a, b) { return b.datasetIndex - a.datasetIndex; },
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + grouped.format(item.parsed.y); },
              footer: function (items) {
                var total = items.reduce(function (sum, item) { return sum + item.parsed.y; }, 0);
                return "Total: " + grouped.format(total);
              }
            }
          }
        }
      }
    });
  }

  function drawQuarantine(canvas) {
    var rows = data.quarantine;
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return r.sheet + " · " + r.column + ": " + r.reason; }),
        datasets: [{
          label: "Rows quarantined",
          data: rows.map(function (r) { return r.rows; }),
          backgroundColor: "#b45309",
          borderRadius: 4,
          maxBarThickness: 24
        }]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { beginAtZero: true, title: axisTitle("Rows"), ticks: { precision: 0 } },
          y: { grid: { display: false }, ticks: { callback: function (v) { return shortened(this.getLabelForValue(v), 60); } } }
        },
        plugins: { legend: { display: false } }
      }
    });
  }

  var painters = {
    "k-selection": drawKSelection,
    "segment-sizes": drawSizes,
    "famd": drawFamd,
    "premium": drawPremium,
    "data-quality": drawQuarantine
  };

  function paint(part) {
    var name = part.dataset.part;
    var canvas = part.querySelector("canvas");
    if (canvas) {
      var chart = painters[name](canvas);
      if (!chart || !(canvas.width > 0 && canvas.height > 0)) {
        throw new Error("chart of part '" + name + "' did not draw (canvas " + canvas.width + "x" + canvas.height + ")");
      }
    } else if (!part.querySelector("table, .empty, .action-card")) {
      throw new Error("part '" + name + "' has neither a chart, a table, a card nor an empty-state message");
    }
    part.dataset.rendered = "true";
  }

  document.querySelectorAll("[data-part]").forEach(function (part) {
    try {
      paint(part);
    } catch (error) {
      window.recordReportError("part '" + part.dataset.part + "': " + (error && error.stack ? error.stack : error));
    }
  });
  document.body.dataset.reportReady = "true";
})();
