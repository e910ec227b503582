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
  // Plotly's responsive mode takes the height of the chart's box, which only the loading
  // placeholder gives it: a drawn chart's box would collapse to 0px and the plot spill
  // over the table below. An explicit height makes Plotly size its own container.
  var CHART_HEIGHT = 400;
  var X_LABEL_STANDOFF = 6; // px: half the height of a y tick label, plus a little
  var FACET_MIN_WIDTH = 300; // px a small multiple needs; narrower screens get fewer columns
  var FACET_TITLE = 26; // px of a small multiple's title above its plot
  var HEATMAP_LABELS = 190; // px a heatmap's row labels and colour bar take
  var HEATMAP_CELL_MIN = 44; // px a cell needs to show "12.5%"
  var printing = false; // charts are laid out at the printed page's width meanwhile
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

  // --- numbers: the build's formatter spec (revpages.pages.formats.FORMAT_SPEC) -------
  // The exact value of the double is rounded half away from zero, as the build's
  // Decimal rounding does: toFixed rounds the exact value, ties to the larger digit.
  function formatValue(value, format) {
    if (value === null || value === undefined) return "";
    if (!format || typeof value !== "number" || !isFinite(value)) return String(value);
    var spec = SHARED.formats[format.format];
    if (!spec) return String(value);
    var scale = spec.scale || 0;
    var decimals = format.decimals || 0;
    var digits = Math.abs(value).toFixed(decimals + scale).split(".");
    var fraction = digits[1] || "";
    var whole = (digits[0] + fraction.slice(0, scale)).replace(/^0+(?=\d)/, "");
    fraction = fraction.slice(scale);
    var text = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (decimals ? "." + fraction : "");
    var negative = value < 0 && /[1-9]/.test(whole + fraction);
    return (negative ? "\u2212" : "") + (format.prefix || "") + text + (spec.suffix || "");
  }

  function formatRows(rows, formats) {
    return rows.map(function (row) {
      return row.map(function (value, i) { return formats[i] ? formatValue(value, formats[i]) : value; });
    });
  }

  // Black or white, whichever reads better on a bar of this colour (WCAG luminance).
  function textOn(hex) {
    var match = /^#([0-9a-f]{6})$/i.exec(hex || "");
    if (!match) return "#ffffff";
    var channel = function (i) {
      var c = parseInt(match[1].substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    var light = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    return (1.05 / (light + 0.05)) >= ((light + 0.05) / 0.05) ? "#ffffff" : "#000000";
  }

  // The traces as drawn: hover text formatted, and the marks that follow the theme
  // (whiskers, reference targets, connectors, heatmap scale, text on faint bars).
  function prepareData(data, colors, dark, width) {
    return data.map(function (original) {
      var trace = Object.assign({}, original);
      var meta = trace.meta || {};
      if (meta.formats && trace.customdata) {
        trace.customdata = formatRows(trace.customdata, meta.formats);
      }
      if (meta.cellFormat && trace.z) {
        trace.text = trace.z.map(function (row) {
          return row.map(function (value) { return formatValue(value, meta.cellFormat); });
        });
        // Cells too narrow for their number (a phone) leave it to the tooltip and table.
        var cells = (trace.x || []).length || 1;
        if ((width - HEATMAP_LABELS) / cells < HEATMAP_CELL_MIN) trace.texttemplate = "";
      }
      if (meta.themeScale) {
        // Every cell keeps its number readable in the text colour (4.5:1 and more): light
        // blues under dark text, dark blues under light text.
        trace.colorscale = dark ? [[0, "#262d3b"], [1, "#2c6a9c"]]
                                : [[0, "#f3f7fb"], [1, "#74abd8"]];
        trace.textfont = Object.assign({}, trace.textfont, { color: colors.text });
      }
      ["error_x", "error_y"].forEach(function (key) {
        if (trace[key]) trace[key] = Object.assign({}, trace[key], { color: colors.text });
      });
      if (meta.themeLine) {
        trace.line = Object.assign({}, trace.line, { color: colors.text });
        trace.marker = Object.assign({}, trace.marker, { color: colors.text });
      }
      if (meta.themeGrid) trace.line = Object.assign({}, trace.line, { color: colors.muted });
      if (trace.texttemplate && trace.type === "bar") {
        var barColor = trace.marker && trace.marker.color;
        var faint = meta.faint || [];
        trace.textfont = Object.assign({}, trace.textfont, {
          color: (trace.x || []).map(function (_, i) {
            return faint[i] ? colors.text : textOn(barColor);
          }),
        });
      }
      return trace;
    });
  }

  // Reference lines in the text colour, bands a translucent grey: both read on either theme.
  function themedShapes(shapes, colors) {
    return (shapes || []).map(function (shape) {
      if (shape.type === "rect") return Object.assign({}, shape, { fillcolor: colors.muted });
      return Object.assign({}, shape, { line: Object.assign({}, shape.line, { color: colors.text }) });
    });
  }

  // Small multiples: as many columns as fit, category labels on the first column only.
  function facetLayout(layout, width) {
    var facet = layout.meta && layout.meta.facet;
    if (!facet) return layout;
    var columns = Math.max(1, Math.min(facet.columns, Math.floor(width / FACET_MIN_WIDTH)));
    var rows = Math.ceil(facet.panels / columns);
    var height = rows * facet.panelHeight + facet.extraHeight;
    var result = Object.assign({}, layout, {
      grid: { rows: rows, columns: columns, pattern: "independent", xgap: 0.08,
              ygap: rows > 1 ? 0.45 : 0.2 },
      height: height,
      // Above the panels' titles, which sit just above the top row of plots.
      legend: Object.assign({}, layout.legend, { y: 1 + FACET_TITLE / (height - 100) }),
    });
    if (facet.categoryAxis === "y") {
      for (var i = 1; i <= facet.panels; i++) {
        var name = "yaxis" + (i > 1 ? i : "");
        result[name] = Object.assign({}, layout[name], { showticklabels: (i - 1) % columns === 0 });
      }
    }
    return result;
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
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) result[key] = Object.assign({}, layout[key], axis);
    });
    result.xaxis = Object.assign({ ticklabelstandoff: X_LABEL_STANDOFF }, result.xaxis || {});
    result.yaxis = Object.assign({}, result.yaxis || {});
    if (layout.shapes) result.shapes = themedShapes(layout.shapes, colors);
    return result;
  }

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  // Draw (or redraw) one chart at its current width (or the printed page's) and theme.
  function render(element) {
    var figure = element._revpagesFigure;
    var width = printing ? Math.min(element.clientWidth || SHARED.printWidth, SHARED.printWidth)
                         : element.clientWidth;
    var layout = facetLayout(figure.layout, width);
    if (!layout.height) layout = Object.assign({}, layout, { height: CHART_HEIGHT });
    if (printing) layout = Object.assign({}, layout, { width: width });
    // The box keeps the chart's height too: Plotly's own resize handler (responsive mode)
    // sizes the plot to its box, and a box sized only by the plot collapsed for a moment.
    element.style.height = layout.height + "px";
    element._revpagesWidth = width;
    var config = Object.assign({}, PLOT_CONFIG,
                               width < MODEBAR_MIN_WIDTH || printing ? { displayModeBar: false } : {},
                               printing ? { responsive: false, staticPlot: true } : {});
    var colors = themeColors();
    return Plotly.react(element, prepareData(figure.data, colors, isDark(), width),
                        themed(layout), config);
  }

  // Point labels of a scatter chart that would cover another text are hidden: the hover
  // and the table still name every point.
  function declutter(element) {
    var kept = [];
    var boxes = function (selector) {
      return Array.prototype.slice.call(element.querySelectorAll(selector));
    };
    var overlaps = function (a, b) {
      return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
        && b.top < a.bottom - 1;
    };
    var points = boxes(".scatterlayer .trace .textpoint text");
    boxes(".main-svg text").forEach(function (text) {
      if (points.indexOf(text) < 0 && text.textContent.trim()) {
        kept.push(text.getBoundingClientRect());
      }
    });
    var bounds = element.getBoundingClientRect();
    points.forEach(function (text) {
      text.style.display = "";
      var box = text.getBoundingClientRect();
      if (!box.width) return;
      var outside = box.left < bounds.left || box.right > bounds.right;
      if (outside || kept.some(function (other) { return overlaps(box, other); })) {
        text.style.display = "none";
      } else {
        kept.push(box);
      }
    });
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

  // Drill-down: a click on a bar, a point or a legend entry whose value has a page of its
  // own (a per: report) opens it. The table's cells link to the same pages for keyboards.
  function drillDown(element) {
    var drill = element._revpagesFigure.drill;
    if (!drill) return;
    var words = function (text) {  // the chart's text: escaped, maybe wrapped with <br>
      var box = document.createElement("textarea");
      box.innerHTML = String(text).replace(/<br>/g, " ");
      return box.value;
    };
    var open = function (text) {
      var url = drill.pages[words(text)];
      if (!url) return false;
      window.location.assign(new URL(url, siteRoot).href);
      return true;
    };
    element.classList.add("revpages-chart--drill");
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (!point) return;
      if (drill.by === "color") open(point.data.name);
      else if (drill.by === "label") open(point.text);
      else open(point.data.orientation === "h" ? point.y : point.x);
    });
    if (drill.by === "color") {
      element.on("plotly_legendclick", function (event) {
        return !open(event.data[event.curveNumber].name);  // false: no series toggling
      });
    }
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
        element._revpagesFigure = { data: figure.data || [], layout: figure.layout || {},
                                    drill: figure.drill || null };
        return render(element);
      })
      .then(function () {
        describePlot(element);
        declutter(element);
        element.on("plotly_afterplot", function () {
          describePlot(element);
          declutter(element);
        });
        drillDown(element);
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
      var facetsChanged = Boolean(figure.layout.meta && figure.layout.meta.facet);
      if (printing) return;
      if (modebarChanged || facetsChanged) {
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

  // A table wider than its box says so: a shadow at the clipped edge and a line under it
  // ("Scroll sideways for more columns"), besides its always-visible scrollbar.
  function markTables() {
    document.querySelectorAll(".revpages-table").forEach(function (region) {
      var hidden = region.scrollWidth - region.clientWidth;
      var left = region.scrollLeft > 1;
      var right = hidden - region.scrollLeft > 1;
      region.toggleAttribute("data-overflow", hidden > 1);
      region.toggleAttribute("data-more-left", left);
      region.toggleAttribute("data-more-right", right);
      if (!region._revpagesScroll) {
        region._revpagesScroll = true;
        region.addEventListener("scroll", markTables, { passive: true });
      }
    });
  }

  function drawAll() {
    keepPlotlyStyles();
    releaseDetached();
    document.querySelectorAll(".revpages-chart[data-figure]").forEach(draw);
    markTables();
  }

  // Views (params:): each selector's choice is a view the build wrote as JSON beside the
  // page; switching fetches it and swaps the parts of the page its data gives. The choice
  // lives in the URL's query string, so a link restores it.
  var VIEW_PARTS = { ".revpages-window": "window", ".revpages-meta": "meta",
                     ".revpages-table": "table" };  // the element -> its HTML in a view
  var VIEW_BODY = ".revpages-tiles, .revpages-chart, .revpages-empty";

  function replaceWith(old, html) {
    if (!old) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    old.replaceWith.apply(old, Array.prototype.slice.call(holder.childNodes));
  }

  function showView(form, view) {
    var page = form.closest("article") || document.body;
    Object.keys(VIEW_PARTS).forEach(function (selector) {
      replaceWith(page.querySelector(selector), view[VIEW_PARTS[selector]]);
    });
    var body = page.querySelector(VIEW_BODY);
    if (body) {
      replaceWith(body, view.body || "");
    } else if (view.body) {  // the default view had nothing to chart
      var meta = page.querySelector(".revpages-meta");
      if (meta) meta.insertAdjacentHTML("afterend", view.body);
    }
    var link = page.querySelector(".revpages-download");
    if (link) {
      link.href = new URL(view.csv, siteRoot).href;
      link.textContent = view.csvText;
    }
    drawAll();
  }

  function chosen(selects) {
    return selects.map(function (select) { return select.value; }).join("\u001f");
  }

  function keepInUrl(selects) {
    var query = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      if (select.value === select.dataset.default) query.delete(select.name);
      else query.set(select.name, select.value);
    });
    var search = query.toString();
    history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "")
                         + location.hash);
  }

  // Site-wide parameters (mkdocs.yml params, params: site) follow the reader: the choice is
  // stored in the browser, applied to every report that takes it, and shown in a bar.
  var STORED = "revpages.params";

  function storedChoices() {
    try {
      var found = JSON.parse(localStorage.getItem(STORED) || "{}");
      return found && typeof found === "object" ? found : {};
    } catch (error) {
      return {};
    }
  }

  function storeChoices(selects) {
    var found = storedChoices();
    selects.forEach(function (select) {
      if (!("site" in select.dataset)) return;
      if (select.value === select.dataset.default) {
        delete found[select.name];
      } else {
        var label = select.closest("label").querySelector("span").textContent;
        found[select.name] = { value: select.value, label: label,
                               text: select.options[select.selectedIndex].text };
      }
    });
    try { localStorage.setItem(STORED, JSON.stringify(found)); } catch (error) { /* private */ }
  }

  function showSelection() {
    var page = document.querySelector(".md-content article") || document.querySelector("article");
    if (!page) return;
    var old = page.querySelector(".revpages-selection");
    if (old) old.remove();
    var found = storedChoices();
    var names = Object.keys(found);
    if (!names.length) return;
    var bar = document.createElement("div");
    bar.className = "revpages-selection";
    bar.setAttribute("role", "status");
    var said = names.map(function (name) {
      return String(found[name].label) + ": " + String(found[name].text);
    }).join(" · ");
    var takes = page.querySelector(".revpages-params select[data-site]");
    bar.textContent = "Selected on every page: " + said
      + (takes ? "" : ". This page is not filtered by it.");
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button revpages-selection__clear";
    clear.textContent = "Clear";
    clear.addEventListener("click", function () {
      try { localStorage.removeItem(STORED); } catch (error) { /* private */ }
      page.querySelectorAll(".revpages-params select[data-site]").forEach(function (select) {
        if (select.value === select.dataset.default) return;
        select.value = select.dataset.default;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      showSelection();
    });
    bar.appendChild(clear);
    page.insertBefore(bar, page.firstChild);
  }

  function setUpViews() {
    document.querySelectorAll("form.revpages-params").forEach(function (form) {
      if (form._revpagesViews) return;
      form._revpagesViews = true;
      var lookup = JSON.parse(form.dataset.views);
      var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
      var note = form.querySelector(".revpages-params__note");
      var shown = chosen(selects);
      var load = function () {
        var wanted = chosen(selects);
        var key = lookup.keys[wanted];
        if (!key || wanted === shown) return Promise.resolve();
        form.setAttribute("aria-busy", "true");
        return fetch(new URL(lookup.folder + key + ".json", siteRoot))
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status + " for view " + key);
            return response.json();
          })
          .then(function (view) {
            if (chosen(selects) !== wanted || !form.isConnected) return;  // chosen again since
            shown = wanted;
            showView(form, view);
          })
          .catch(function (error) {
            note.textContent = "This view could not be loaded; the page shows the one before.";
            console.error("revpages:", error);
          })
          .then(function () { form.removeAttribute("aria-busy"); });
      };
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.addEventListener("change", function () {
        note.textContent = "";
        keepInUrl(selects);
        storeChoices(selects);
        showSelection();
        load();
      });
      // The choice a link carries; a value this report does not have leaves the default.
      // A site-wide choice the reader made on another page applies where the link has none.
      var query = new URLSearchParams(location.search);
      var remembered = storedChoices();
      var unknown = [];
      selects.forEach(function (select) {
        var fromLink = query.has(select.name);
        var value = fromLink ? query.get(select.name)
          : ("site" in select.dataset && remembered[select.name] || {}).value;
        if (value === undefined) return;
        var known = Array.prototype.some.call(select.options, function (option) {
          return option.value === value;
        });
        if (known) select.value = value;
        else if (fromLink) unknown.push(select.name + " \u201c" + value + "\u201d");
      });
      if (chosen(selects) !== shown) keepInUrl(selects);
      if (unknown.length) {
        note.textContent = "This report has no " + unknown.join(" and no ")
          + ": it shows the default view.";
      }
      load();
    });
  }

  // Printing: charts are laid out again at the width of the printed page (A4, the margins
  // of revpages.css) before the browser paginates, and back at the screen's afterwards.
  function relayoutAll(toPrint) {
    if (printing === toPrint) return;
    printing = toPrint;
    charts.forEach(function (element) {
      if (element.isConnected && element.dataset.state === "drawn") {
        render(element).catch(function (error) { console.error("revpages:", error); });
      }
    });
  }
  window.addEventListener("beforeprint", function () { relayoutAll(true); });
  window.addEventListener("afterprint", function () { relayoutAll(false); });
  if (window.matchMedia) {
    var printQuery = window.matchMedia("print");
    var onPrint = function (event) { relayoutAll(event.matches); };
    if (printQuery.addEventListener) printQuery.addEventListener("change", onPrint);
    else if (printQuery.addListener) printQuery.addListener(onPrint);
  }
  window.addEventListener("resize", markTables, { passive: true });
  // The formatter, for pages' own scripts (and the tests comparing it with the build's).
  window.revpages = Object.assign(window.revpages || {}, { formatValue: formatValue });

  new MutationObserver(retheme).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"],
  });
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { drawAll(); setUpViews(); showSelection(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll();
      setUpViews();
      showSelection();
    });
  } else {
    drawAll();
    setUpViews();
    showSelection();
  }
})();
