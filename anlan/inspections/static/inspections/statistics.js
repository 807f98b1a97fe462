// Draws the inspection statistics charts from the JSON in #chart-data (no inline script: CSP-friendly).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = echarts.init(element);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("chart-departments", {
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.planned, data.labels.recorded] },
    grid: { left: 40, right: 16, bottom: 80, top: 30 },
    xAxis: { type: "category", data: data.departments.map(function (r) { return r.name; }), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.planned, type: "bar", data: data.departments.map(function (r) { return r.planned; }) },
      { name: data.labels.recorded, type: "bar", data: data.departments.map(function (r) { return r.recorded; }) }
    ]
  });
  draw("chart-coverage", {
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 16, bottom: 40, top: 16 },
    xAxis: { type: "category", data: data.coverage.map(function (r) { return r.name; }) },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: data.coverage.map(function (r) { return r.value; }) }]
  });
  draw("chart-enforcement", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"], data: data.enforcement }]
  });
}());
