// Moved out of the template so the page needs no inline script (Content-Security-Policy).
(function () {
  var el = document.getElementById('chart-industry');
  if (!el || !window.echarts) return;
  var rows = JSON.parse(document.getElementById('data-industry').textContent);
  var chart = echarts.init(el);
  chart.setOption({
    grid: {left: 8, right: 16, top: 8, bottom: 8, containLabel: true},
    tooltip: {},
    xAxis: {type: 'value'},
    yAxis: {type: 'category', inverse: true, data: rows.map(function (r) { return r['industry__name']; })},
    series: [{type: 'bar', data: rows.map(function (r) { return r.n; }), itemStyle: {color: '#0b4f6c'}}]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
