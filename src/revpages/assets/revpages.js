/* revpages: draws every report chart from its figure JSON file.
 * Material's document$ emits on first load and after each instant navigation,
 * so charts are drawn whichever way a page was reached. No inline scripts. */
(function () {
  "use strict";
  // The site root, from this script's own URL (assets/revpages/revpages.js).
  var siteRoot = new URL("../../", document.currentScript.src);
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#F0E442", "#999999"];
  var PLOT_CONFIG = { responsive: true, displaylogo: false,
                      modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function themeColors() {
    var style = getComputedStyle(document.body);
    var read = function (name, fallback) {
      return style.getPropertyValue(name).trim() || fallback;
    };
    return {
      text: read("--md-default-fg-color", "#222"),
      grid: read("--md-default-fg-color--lightest", "#ddd"),
      background: read("--md-default-bg-color", "#fff"),
    };
  }

  function themed(layout) {
    var colors = themeColors();
    var axis = { gridcolor: colors.grid, zerolinecolor: colors.grid, linecolor: colors.grid };
    var result = Object.assign({}, layout, {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: colors.text, family: "inherit" },
      colorway: PALETTE,
      hoverlabel: { bgcolor: colors.background, font: { color: colors.text } },
      legend: Object.assign({ orientation: "h", y: -0.2 }, layout.legend || {}),
    });
    result.xaxis = Object.assign({}, layout.xaxis, axis);
    result.yaxis = Object.assign({}, layout.yaxis, axis);
    return result;
  }

  function showError(element, message) {
    element.classList.add("revpages-chart--error");
    element.textContent = message;
  }

  function draw(element) {
    if (element.dataset.state) return;
    element.dataset.state = "loading";
    var url = new URL(element.dataset.figure, siteRoot);
    fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        return response.json();
      })
      .then(function (figure) {
        element._revpagesLayout = figure.layout || {};
        return Plotly.newPlot(element, figure.data, themed(element._revpagesLayout), PLOT_CONFIG);
      })
      .then(function () {
        element.dataset.state = "drawn";
        resizeWhenShown(element);
      })
      .catch(function (error) {
        element.dataset.state = "failed";
        showError(element, "The chart could not be drawn; the table below has its data.");
        console.error("revpages:", error);
      });
  }

  // A chart drawn inside a hidden tab has no size; redraw it once it is shown.
  var resizer = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.contentRect.width > 0 && entry.target.dataset.state === "drawn") {
        Plotly.Plots.resize(entry.target);
      }
    });
  }) : null;

  function resizeWhenShown(element) {
    if (resizer) resizer.observe(element);
  }

  function retheme() {
    document.querySelectorAll(".revpages-chart[data-state=drawn]").forEach(function (element) {
      Plotly.relayout(element, themed(element._revpagesLayout || {}));
    });
  }

  function drawAll() {
    document.querySelectorAll(".revpages-chart[data-figure]").forEach(draw);
  }

  new MutationObserver(retheme).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"],
  });
  if (typeof document$ !== "undefined") {
    document$.subscribe(drawAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
