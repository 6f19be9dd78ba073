// Dashboard charts (Apache ECharts, vendored). Clicking a bar or a funnel layer opens the ledger
// filtered to exactly the projects behind it (the links come from the server).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var t = JSON.parse(document.getElementById("ui-strings").textContent);  // the page's language
  var font = '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif';
  var charts = [];

  function base() {
    return { textStyle: { fontFamily: font }, animation: false, tooltip: { trigger: "item" }, grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true } };
  }

  function wan(v) { return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 }); }

  var builders = {
    funnel: function (d) {
      return Object.assign(base(), {
        tooltip: { trigger: "item", formatter: function (p) {
          return t.funnel_tip.replace("%(name)s", p.name).replace("%(count)s", p.value).replace("%(wan)s", wan(d.investment[p.dataIndex]));
        } },
        series: [{ type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "8%", gap: 2,
          label: { show: true, position: "inside", formatter: "{b} {c}" },
          data: d.labels.map(function (l, i) { return { name: l, value: d.counts[i] }; }) }]
      });
    },
    "bar-line": function (d) {
      return Object.assign(base(), {
        tooltip: { trigger: "axis" },
        legend: { data: [t.signed_count, t.signed_amount], top: 0 },
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 45 } },
        yAxis: [{ type: "value", name: t.unit_count }, { type: "value", name: t.unit_wan, splitLine: { show: false } }],
        series: [
          { name: t.signed_count, type: "bar", data: d.counts },
          { name: t.signed_amount, type: "line", yAxisIndex: 1, data: d.investment }
        ]
      });
    },
    hbar: function (d) {
      return Object.assign(base(), {
        xAxis: { type: "value", name: t.unit_count },
        yAxis: { type: "category", data: d.labels.slice().reverse(), axisLabel: { width: 110, overflow: "truncate" } },
        series: [{ type: "bar", data: d.counts.slice().reverse(), label: { show: true, position: "right" } }]
      });
    }
  };

  document.querySelectorAll(".chart").forEach(function (node) {
    var key = node.id.replace("chart-", "");
    var d = data[key];
    if (!d || !d.labels.length) { node.textContent = t.no_data; node.classList.add("empty"); return; }
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
