// Hints while typing a figure. The server checks everything again; this only helps early.
// The rules come from the server with the input (indicators/forms.py figure_hint_attrs):
// data-number-pattern (the number it reads), data-places (decimals it keeps, 0 for 家/个/人),
// data-min and data-max (a share is 0–100, a count or level not negative), so the hint
// never says “将按 … 保存” for a figure the server then refuses.
(function () {
  "use strict";
  var DEFAULT_PATTERN = "[+-]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|[+-]?\\.\\d+";
  function normalize(text) {
    // Full-width digits and punctuation to half-width, as the server's NFKC does.
    return text.replace(/[\uFF01-\uFF5E]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xFEE0);
    }).replace(/\u3000/g, " ").replace(/\s+/g, "");
  }
  function decimals(number) {
    var fraction = number.split(".")[1] || "";
    return fraction.replace(/0+$/, "").length;
  }
  function rangeProblem(number, value, rules, unit) {
    var shown = number + (unit === "%" ? "%" : " " + unit);
    if (rules.places === 0 && (decimals(number) > 0 || (rules.min !== null && value < rules.min))) {
      return shown + "：" + unit + "数应为不小于 0 的整数";
    }
    if (rules.places !== null && decimals(number) > rules.places) {
      return "“" + number + "”的小数位数超过 " + rules.places + " 位";
    }
    if (rules.max !== null && (value > rules.max || value < rules.min)) {
      return shown + "：占比应在 " + rules.min + " 到 " + rules.max + " 之间";
    }
    if (rules.min !== null && value < rules.min) {
      return shown + "：实际值不能为负数";
    }
    return "";
  }
  function hintFor(raw, unit, rules) {
    var text = normalize(raw);
    if (!text) { return ""; }
    var match = text.match(/^([+-]?[\d,.]*\d[\d,.]*)(.*)$/);
    if (!match) { return "“" + raw.trim() + "”不是数字"; }
    if (match[2] && match[2] !== normalize(unit)) {
      return "单位应为“" + unit + "”，请换算后填写数字";
    }
    if (!rules.pattern.test(match[1])) {
      return "“" + raw.trim() + "”不是数字";
    }
    var number = match[1].replace(/,/g, "").replace(/^\+/, "");
    var problem = rangeProblem(number, parseFloat(number), rules, unit);
    return problem || "将按 " + number + " " + unit + " 保存";
  }
  function number(value) {
    return value === undefined || value === "" ? null : parseFloat(value);
  }
  function rulesOf(input) {
    return {
      pattern: new RegExp("^(?:" + (input.dataset.numberPattern || DEFAULT_PATTERN) + ")$"),
      places: input.dataset.places === undefined ? null : parseInt(input.dataset.places, 10),
      min: number(input.dataset.min),
      max: number(input.dataset.max)
    };
  }
  // After a refused save, bring the indicator with the problem into view.
  var failed = document.querySelector(".report-line.has-errors");
  if (failed) { failed.scrollIntoView({block: "start"}); }
  // The refused save is shown at the save's own address (…/report/<year>/<line>/); put the
  // page's address back in the address bar, so a reload opens the page. The server sends
  // any GET of a save address to its page as well (indicators/reporting/views.py save_view).
  var SAVE_ADDRESS = /^(.*\/report\/(?:[\w-]+\/)?\d{4}\/)[^#?]+$/;
  var page = failed && window.history && window.location.pathname.match(SAVE_ADDRESS);
  if (page && window.history.replaceState) {
    window.history.replaceState(null, "", page[1] + window.location.search + "#" + failed.id);
  }
  document.querySelectorAll("input[data-unit]").forEach(function (input) {
    var hint = input.parentElement.querySelector(".hint");
    if (!hint) { return; }
    var rules = rulesOf(input);
    input.addEventListener("input", function () {
      hint.textContent = hintFor(input.value, input.dataset.unit, rules);
    });
  });
})();
