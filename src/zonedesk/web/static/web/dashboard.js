// Dashboard charts (Apache ECharts, vendored). Clicking a bar or a funnel layer opens the ledger
// filtered to exactly the projects behind it (the links come from the server).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var font = '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif';
  var charts = [];

  function base() {
    return { textStyle: { fontFamily: font }, animation: false, tooltip: { trigger: "item" }, grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true } };
  }

  function wan(v) { return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 }); }

  var builders = {
    funnel: function (d) {
      return Object.assign(base(), {
        tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + " 个，" + wan(d.investment[p.dataIndex]) + " 万元"; } },
        series: [{ type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "8%", gap: 2,
          label: { show: true, position: "inside", formatter: "{b} {c}" },
          data: d.labels.map(function (l, i) { return { name: l, value: d.counts[i] }; }) }]
      });
    },
    "bar-line": function (d) {
      return Object.assign(base(), {
        tooltip: { trigger: "axis" },
        legend: { data: ["签约项目数", "计入签约额（万元）"], top: 0 },
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 45 } },
        yAxis: [{ type: "value", name: "个" }, { type: "value", name: "万元", splitLine: { show: false } }],
        series: [
          { name: "签约项目数", type: "bar", data: d.counts },
          { name: "计入签约额（万元）", type: "line", yAxisIndex: 1, data: d.investment }
        ]
      });
    },
    hbar: function (d) {
      return Object.assign(base(), {
        xAxis: { type: "value", name: "个" },
        yAxis: { type: "category", data: d.labels.slice().reverse(), axisLabel: { width: 110, overflow: "truncate" } },
        series: [{ type: "bar", data: d.counts.slice().reverse(), label: { show: true, position: "right" } }]
      });
    }
  };

  document.querySelectorAll(".chart").forEach(function (node) {
    var key = node.id.replace("chart-", "");
    var d = data[key];
    if (!d || !d.labels.length) { node.textContent = "暂无数据"; node.classList.add("empty"); return; }
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(builders[node.dataset.kind](d));
    var reversed = node.dataset.kind === "hbar";
    chart.on("click", function (p) {
      var i = reversed ? d.links.length - 1 - p.dataIndex : p.dataIndex;
      if (d.links[i]) window.location.href = d.links[i];
    });
    node.dataset.links = JSON.stringify(d.links);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.dataset.chartsReady = String(charts.length);
})();
