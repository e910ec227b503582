/* revpages: draws every report chart from its figure JSON file.
 * Material's document$ emits on first load and after each instant navigation,
 * so charts are drawn whichever way a page was reached. No inline scripts. */
(function () {
  "use strict";
  // The site root, from this script's own URL (assets/revpages/revpages.js).
  var siteRoot = new URL("../../", document.currentScript.src);
  var PLOTLY_URL = new URL("assets/revpages/plotly.min.js", siteRoot).href;
  // Written in by the build (revpages.site.assets.chart_script): the values this script
  // shares with it, declared once in Python.
  var SHARED = REVPAGES_SHARED;
  var PLOT_CONFIG = { responsive: true, displaylogo: false,
                      modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  // Below this width (phones) the mode bar covers the legend and zooming by touch is
  // awkward; the table and the CSV carry the numbers.
  var MODEBAR_MIN_WIDTH = 500;
  // Width one KPI needs side by side; narrower charts stack their numbers in rows.
  var KPI_MIN_WIDTH = 170;
  var KPI_ROW_HEIGHT = 110;
  var KPI_NOTE_HEIGHT = 18;
  // Plotly's responsive mode takes the height of the chart's box, which only the loading
  // placeholder gives it: a drawn chart's box would collapse to 0px and the plot spill
  // over the table below. An explicit height makes Plotly size its own container.
  var CHART_HEIGHT = 400;
  var X_LABEL_STANDOFF = 6; // px: half the height of a y tick label, plus a little
  var charts = new Set(); // drawn chart elements, released when a page goes away

  // Plotly loads on demand, so pages without a chart never pay for it. A page that
  // already carries plotly.min.js as a script tag uses that copy.
  var plotlyReady = null;
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyReady) {
      plotlyReady = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.onload = function () {
          keepPlotlyStyles();
          resolve(window.Plotly);
        };
        script.onerror = function () {
          plotlyReady = null;
          reject(new Error("could not load " + PLOTLY_URL));
        };
        document.body.appendChild(script);
      });
    }
    return plotlyReady;
  }

  // Plotly puts its stylesheet (layered SVGs, modebar) in <head> once, when it loads.
  // Material's instant navigation drops head elements the next page does not have, so
  // every chart drawn after a navigation had its layers stacked and its text displaced.
  // A copy of the rules in <body> survives navigation; Plotly finds it by its id.
  function keepPlotlyStyles() {
    var style = document.getElementById("plotly.js-style-global");
    if (!style || style.parentNode !== document.head || !style.sheet) return;
    var copy = document.createElement("style");
    copy.id = style.id;
    copy.textContent = Array.prototype.map.call(style.sheet.cssRules, function (rule) {
      return rule.cssText;
    }).join("\n");
    style.remove();
    document.body.appendChild(copy);
  }

  // Theme colours as rgb()/rgba() text: Material writes them as hex with alpha or as
  // hsla(225deg, ...), which Plotly cannot parse (it falls back to dark grey).
  var probe = null;
  function cssColor(value, fallback) {
    if (!value) return fallback;
    if (!probe) {
      probe = document.createElement("span");
      probe.hidden = true;
      probe.setAttribute("aria-hidden", "true");
    }
    document.body.appendChild(probe);
    probe.style.color = "";
    probe.style.color = value;
    var color = probe.style.color ? getComputedStyle(probe).color : "";
    probe.remove();
    return color || fallback;
  }

  function themeColors() {
    var style = getComputedStyle(document.body);
    var read = function (name, fallback) {
      return cssColor(style.getPropertyValue(name).trim(), fallback);
    };
    return {
      text: read("--md-default-fg-color", "rgb(34, 34, 34)"),
      muted: read("--md-default-fg-color--light", "rgb(117, 117, 117)"),
      grid: read("--md-default-fg-color--lightest", "rgb(221, 221, 221)"),
      background: read("--md-default-bg-color", "rgb(255, 255, 255)"),
    };
  }

  function isKpi(figure) {
    return figure.data.length > 0 && figure.data.every(function (trace) {
      return trace.type === "indicator";
    });
  }

  // KPIs side by side when they fit, else in rows: titles never overlap.
  function kpiColumns(figure, width) {
    var longest = figure.data.reduce(function (most, trace) {
      // A title may hold a second line (a comparison, <br><span>...</span>): its words
      // count, not its tags.
      var title = (trace.title && trace.title.text) || "";
      return title.split("<br>").reduce(function (widest, line) {
        return Math.max(widest, line.replace(/<[^>]*>/g, "").length);
      }, most);
    }, 0);
    var need = Math.max(KPI_MIN_WIDTH, longest * 8 + 24);
    return Math.max(1, Math.min(figure.data.length, Math.floor(width / need)));
  }

  // Characters of a KPI's number as Plotly will print it (roughly: digits, separators,
  // decimals, prefix and suffix), to give every KPI of a chart the same, fitting size.
  function kpiChars(trace) {
    var number = trace.number || {};
    var format = number.valueformat || "";
    var value = Math.abs(Number(trace.value) || 0) * (format.indexOf("%") >= 0 ? 100 : 1);
    var digits = Math.max(1, Math.floor(Math.log10(Math.max(1, value))) + 1);
    var decimals = /\.(\d+)f|\.(\d+)%/.exec(format);
    var chars = digits + Math.floor((digits - 1) / 3);
    if (decimals) chars += 1 + Number(decimals[1] || decimals[2]);
    if (format.indexOf("%") >= 0) chars += 1;
    return chars + (number.prefix || "").length + (number.suffix || "").length;
  }

  // The colour of a change (compare:) in the shade that reads on this theme.
  function themedChanges(text, dark) {
    return text.replace(/color:(#[0-9A-Fa-f]{6})/g, function (found, color) {
      var shades = SHARED.changeColors[color];
      return shades ? "color:" + shades[dark ? 1 : 0] : found;
    });
  }

  function kpiFigure(figure, width) {
    var columns = kpiColumns(figure, width);
    var rows = Math.ceil(figure.data.length / columns);
    // Changes against other periods (compare:) are lines under a tile's title: each
    // needs its height in the tile.
    var notes = figure.data.reduce(function (most, t) {
      return Math.max(most, ((t.title && t.title.text) || "").split("<br>").length - 1);
    }, 0);
    var rowHeight = KPI_ROW_HEIGHT + notes * KPI_NOTE_HEIGHT;
    var cell = Math.max(1, width - 20) / columns;
    var size = figure.data.reduce(function (smallest, trace) {
      return Math.min(smallest, Math.floor((cell * 0.85) / (kpiChars(trace) * 0.6)));
    }, 44);
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var data = figure.data.map(function (trace, i) {
      var title = Object.assign({}, trace.title);
      title.text = themedChanges(title.text || "", dark);
      title.font = Object.assign({ size: 14 }, title.font);
      var number = Object.assign({}, trace.number);
      number.font = Object.assign({ size: Math.max(16, size) }, number.font);
      return Object.assign({}, trace, {
        domain: { row: Math.floor(i / columns), column: i % columns },
        title: title,
        number: number,
      });
    });
    var layout = Object.assign({}, figure.layout, {
      grid: { rows: rows, columns: columns, pattern: "independent" },
      height: rows * rowHeight + 20,
      margin: { l: 10, r: 10, t: 30, b: 10 },
    });
    return { data: data, layout: layout, columns: columns };
  }

  function themed(layout) {
    var colors = themeColors();
    var axis = { gridcolor: colors.grid, zerolinecolor: colors.grid, linecolor: colors.grid };
    var result = Object.assign({}, layout, {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: colors.text, family: "inherit" },
      colorway: SHARED.colorway,
      hoverlabel: { bgcolor: colors.background, font: { color: colors.text } },
      modebar: { bgcolor: "rgba(0,0,0,0)", color: colors.muted, activecolor: colors.text },
      // Above the plot: below it, a legend collides with the x-axis title.
      legend: Object.assign({ orientation: "h", x: 0, xanchor: "left", y: 1.02,
                              yanchor: "bottom" }, layout.legend || {}),
    });
    // The first category's label reaches left past the plot, level with the lowest y tick
    // ("0%" sits on the axis line): a few pixels down, the two never touch.
    result.xaxis = Object.assign({ ticklabelstandoff: X_LABEL_STANDOFF }, layout.xaxis, axis);
    result.yaxis = Object.assign({}, layout.yaxis, axis);
    return result;
  }

  // Draw (or redraw) one chart at its current width in the current theme.
  function render(element) {
    var figure = element._revpagesFigure;
    var width = element.clientWidth;
    var data = figure.data;
    var layout = figure.layout;
    if (isKpi(figure)) {
      var kpi = kpiFigure(figure, width);
      data = kpi.data;
      layout = kpi.layout;
      element._revpagesColumns = kpi.columns;
    } else if (!layout.height) {
      layout = Object.assign({}, layout, { height: CHART_HEIGHT });
    }
    element._revpagesWidth = width;
    var config = Object.assign({}, PLOT_CONFIG,
                               width < MODEBAR_MIN_WIDTH ? { displayModeBar: false } : {});
    return Plotly.react(element, data, themed(layout), config);
  }

  // A drawn chart is a figure: its plot is the image (named as the chart was, the table
  // below being its text alternative) and the mode bar's buttons sit beside it. Buttons
  // inside role=img would be focusable yet unnamed to screen readers (axe:
  // nested-interactive). The buttons are mouse tools (zoom, pan): out of the Tab order,
  // keyboard users go from the chart straight to its table and CSV. Plotly rebuilds the
  // layers and the bar on redraws, so this runs after every one.
  function describePlot(element) {
    var label = element.getAttribute("aria-label") || element._revpagesLabel || "";
    element._revpagesLabel = label;
    element.setAttribute("role", "figure");
    element.removeAttribute("aria-label");
    element.querySelectorAll(".main-svg").forEach(function (svg, i) {
      if (i === 0) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", label);
      } else {
        svg.setAttribute("aria-hidden", "true"); // hover and label layers over the plot
      }
    });
    element.querySelectorAll(".modebar-btn").forEach(function (button) {
      button.setAttribute("tabindex", "-1");
    });
  }

  function showError(element, message) {
    element.classList.add("revpages-chart--error");
    element.textContent = message;
  }

  function draw(element) {
    if (element.dataset.state) return;
    element.dataset.state = "loading";
    var url = new URL(element.dataset.figure, siteRoot);
    Promise.all([
      fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        return response.json();
      }),
      loadPlotly(),
    ])
      .then(function (loaded) {
        var figure = loaded[0];
        element._revpagesFigure = { data: figure.data || [], layout: figure.layout || {} };
        return render(element);
      })
      .then(function () {
        describePlot(element);
        element.on("plotly_afterplot", function () { describePlot(element); });
        element.dataset.state = "drawn";
        charts.add(element);
        if (resizer) resizer.observe(element);
      })
      .catch(function (error) {
        element.dataset.state = "failed";
        showError(element, "The chart could not be drawn; the table below has its data.");
        console.error("revpages:", error);
      });
  }

  // A chart drawn inside a hidden tab or closed <details> has no size: redraw it once it
  // is shown, and whenever its width changes (Plotly's own handler sees only the window).
  var resizer = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var element = entry.target;
      var width = Math.round(entry.contentRect.width);
      if (!width || element.dataset.state !== "drawn" || !element.isConnected) return;
      if (Math.abs(width - (element._revpagesWidth || 0)) < 1) return;
      var figure = element._revpagesFigure;
      var modebarChanged = (width < MODEBAR_MIN_WIDTH)
        !== (element._revpagesWidth < MODEBAR_MIN_WIDTH);
      if (modebarChanged
          || (isKpi(figure) && kpiColumns(figure, width) !== element._revpagesColumns)) {
        render(element).catch(function (error) { console.error("revpages:", error); });
      } else {
        element._revpagesWidth = width;
        Plotly.Plots.resize(element).catch(function () {}); // the page may have gone
      }
    });
  }) : null;

  function retheme() {
    charts.forEach(function (element) {
      if (element.isConnected && element.dataset.state === "drawn") {
        render(element).catch(function (error) { console.error("revpages:", error); });
      }
    });
  }

  // Instant navigation replaces the content: free the plots of the page that went away.
  function releaseDetached() {
    charts.forEach(function (element) {
      if (element.isConnected) return;
      if (resizer) resizer.unobserve(element);
      if (window.Plotly) Plotly.purge(element);
      delete element._revpagesFigure;
      charts.delete(element);
    });
  }

  function drawAll() {
    keepPlotlyStyles();
    releaseDetached();
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
