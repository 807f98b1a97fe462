// Moved out of the template so the page needs no inline script (Content-Security-Policy).
(function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var L = data.labels, charts = [];
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  }
  draw('chart-month', {
    tooltip: {trigger: 'axis'}, legend: {top: 0},
    grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: 'category', data: data.months}, yAxis: {type: 'value', minInterval: 1},
    series: [
      {name: L.accidents, type: 'bar', data: data.accidents, itemStyle: {color: '#0b4f6c'}},
      {name: L.accidents_before, type: 'bar', data: data.accidents_before, itemStyle: {color: '#9fb8c4'}},
      {name: L.deaths, type: 'line', data: data.deaths, itemStyle: {color: '#c0392b'}},
      {name: L.deaths_before, type: 'line', data: data.deaths_before, lineStyle: {type: 'dashed'}, itemStyle: {color: '#e6a09a'}}
    ]
  });
  draw('chart-industry', {
    tooltip: {}, grid: {left: 8, right: 16, top: 8, bottom: 8, containLabel: true},
    xAxis: {type: 'value', minInterval: 1},
    yAxis: {type: 'category', inverse: true, data: data.industry.map(function (r) { return r[0]; })},
    series: [{name: L.accidents, type: 'bar', data: data.industry.map(function (r) { return r[1]; }), itemStyle: {color: '#0b4f6c'}}]
  });
  draw('chart-pyramid', {
    tooltip: {trigger: 'item'},
    series: [{type: 'funnel', sort: 'ascending', left: '10%', width: '80%', label: {position: 'inside'},
      data: data.pyramid.map(function (r) { return {name: r[0] + ' ' + r[1], value: Math.log10(r[1] + 1) + 1}; })}]
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
