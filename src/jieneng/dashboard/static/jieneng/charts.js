/* Draws the dashboards' charts with the ECharts served beside this file.
 *
 * Each chart is a <div class="chart-canvas" data-option="ID"> whose option (plain JSON, built on the
 * server) is in <script type="application/json" id="ID">. A map's div also names its GeoJSON
 * (data-geo) and the map's name (data-map). The numbers are also in the <details> table under each
 * chart; when a chart cannot be drawn, that table is opened instead. Tables open for printing. A
 * data item with a "link" (a ranked region's or unit's bar, a type's bar, a region on the map) opens
 * that address when clicked: one click from a bar to the page behind it.
 */
(function () {
  "use strict";

  var charts = [];
  var english = (document.documentElement.lang || "").toLowerCase().indexOf("en") === 0;

  function format(value) {
    if (value === null || value === undefined || value === "-" || isNaN(value)) {
      return "—";
    }
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 3 });
  }

  function tableInstead(element) {
    var details = element.parentNode.querySelector("details.chart-table");
    if (details) {
      details.open = true;
    }
    element.hidden = true;
  }

  function draw(element, option) {
    var chart = window.echarts.init(element, null, { renderer: "svg", locale: english ? "EN" : "ZH" });
    if (option.tooltip && !option.tooltip.formatter) {
      option.tooltip.valueFormatter = format;
    }
    chart.setOption(option);
    // a bar or region carrying a "link" opens that page (the region's dashboard, the unit's page)
    chart.on("click", function (params) {
      var link = params.data && params.data.link;
      if (link) {
        window.location.assign(link);
      }
    });
    charts.push(chart);
  }

  function start(element) {
    var source = document.getElementById(element.dataset.option);
    if (!source || !window.echarts) {
      tableInstead(element);
      return;
    }
    var option = JSON.parse(source.textContent);
    if (!element.dataset.geo) {
      draw(element, option);
      return;
    }
    fetch(element.dataset.geo, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (geo) {
        window.echarts.registerMap(element.dataset.map, geo);
        draw(element, option);
      })
      .catch(function () {
        tableInstead(element);
      });
  }

  function resizeAll() {
    charts.forEach(function (chart) {
      chart.resize();
    });
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    document.querySelectorAll("details.chart-table:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
    resizeAll();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    resizeAll();
  });
  window.addEventListener("resize", resizeAll);

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart-canvas[data-option]").forEach(start);
    document.querySelectorAll("details.chart-table").forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) {
          resizeAll();
        }
      });
    });
  });
})();
