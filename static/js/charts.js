// Draw every server-built figure on the page: <div data-figure="ID"> + <script id="ID">.
// Charts take their container's width and follow it (a phone, a resized window, paper).
(function () {
  "use strict";
  // No mode bar: it covered the legends, and every chart has its numbers in a table beside it.
  var config = {displaylogo: false, responsive: true, displayModeBar: false};
  var font = {family: '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'};
  var NARROW = 600; // px: below this a chart gets a phone layout
  var PRINT_WIDTH = 680; // px: the width of an A4 page between its margins
  var LABEL_SHARE = 0.4; // a narrow chart gives at most this share of its width to labels
  var GLYPH = 13; // px per character of a tick label, CJK

  function shorten(text, chars) {
    text = String(text);
    return text.length > chars ? text.slice(0, Math.max(chars - 1, 1)) + "…" : text;
  }

  // On a phone, long category labels of horizontal bars would leave the bars no room: keep
  // the left margin to a share of the width and shorten the labels (the hover has them whole).
  function narrowLayout(figure, layout, width) {
    var margin = layout.margin || {};
    if (margin.l && margin.l > width * LABEL_SHARE) {
      layout.margin = Object.assign({}, margin, {l: Math.round(width * LABEL_SHARE), r: Math.min(margin.r || 20, 20)});
      var horizontal = (figure.data || []).filter(function (trace) { return trace.orientation === "h"; });
      if (horizontal.length) {
        var labels = [];
        horizontal.forEach(function (trace) {
          (trace.y || []).forEach(function (label) { if (labels.indexOf(label) < 0) { labels.push(label); } });
        });
        var chars = Math.max(Math.floor(layout.margin.l / GLYPH), 3);
        layout.yaxis = Object.assign({}, layout.yaxis, {
          automargin: false,
          tickmode: "array",
          tickvals: labels,
          // "规模总量 · 1. 工业总产值": the group goes, the indicator stays.
          ticktext: labels.map(function (label) { return shorten(String(label).split(" · ").pop(), chars); })
        });
      }
    }
    if (layout.legend && layout.legend.orientation === "h" && (layout.legend.y || 0) > 1) {
      // Above the plot a wrapped legend would run into it: below, it has room.
      layout.legend = Object.assign({}, layout.legend, {y: -0.25, yanchor: "top", x: 0});
    }
    return layout;
  }

  var charts = [];
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(source.textContent);
    var layout = Object.assign({font: font, separators: ".,", autosize: true}, figure.layout || {});
    var width = element.clientWidth || (element.parentElement && element.parentElement.clientWidth) || 0;
    if (width && width < NARROW) { layout = narrowLayout(figure, layout, width); }
    Plotly.newPlot(element, figure.data || [], layout, config);
    charts.push(element);
  });
  if (!charts.length) { return; }

  // Paper: draw each chart no wider than the page, then give it back to its container.
  var printing = false;
  function toPaper() {
    if (printing) { return; }
    printing = true;
    charts.forEach(function (element) {
      Plotly.relayout(element, {width: Math.min(element.clientWidth || PRINT_WIDTH, PRINT_WIDTH)});
    });
  }
  function toScreen() {
    if (!printing) { return; }
    printing = false;
    charts.forEach(function (element) {
      Plotly.relayout(element, {width: null, autosize: true}).then(function () { Plotly.Plots.resize(element); });
    });
  }
  window.addEventListener("beforeprint", toPaper);
  window.addEventListener("afterprint", toScreen);
  var print = window.matchMedia ? window.matchMedia("print") : null;
  if (print && print.addEventListener) {
    print.addEventListener("change", function (event) { if (event.matches) { toPaper(); } else { toScreen(); } });
  }
})();
