// Draw every server-built figure on the page: <div data-figure="ID"> + <script id="ID">.
(function () {
  "use strict";
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};
  var font = {family: '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'};
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(source.textContent);
    var layout = Object.assign({font: font, separators: ".,"}, figure.layout || {});
    Plotly.newPlot(element, figure.data || [], layout, config);
  });
})();
