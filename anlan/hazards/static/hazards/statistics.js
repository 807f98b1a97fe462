// Draws the statistics page's charts from the JSON the server put in #chart-data (no inline script: CSP-friendly).
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
  function pie(id, rows) {
    draw(id, { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "70%"], data: rows }] });
  }
  function bar(id, rows, horizontal) {
    var names = rows.map(function (r) { return r.name; });
    var values = rows.map(function (r) { return r.value; });
    var category = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", minInterval: 1 };
    draw(id, {
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 120 : 40, right: 16, bottom: 60, top: 16 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: values }]
    });
  }
  pie("chart-status", data.status);
  pie("chart-grade", data.grade);
  bar("chart-source", data.source, false);
  bar("chart-industry", data.industry.slice(0, 12).reverse(), true);
  draw("chart-monthly", {
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.found, data.labels.closed] },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.found, type: "line", data: data.found },
      { name: data.labels.closed, type: "line", data: data.closed }
    ]
  });
})();
