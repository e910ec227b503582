"""The error catalogue: one stable code per user error, what it means and what to do.

Every ``RevpagesError`` raised in the package passes one of these codes, and prints it
right after its location (``queries/sales/x.sql:3:1: RP210 ...``), so a code can be
searched for in CI logs and looked up in the guide. The guide's page is generated from
this table (``python -m revpages.error_codes > site_src/guide/errors.md``), and each
example is the exact line a test project prints. Codes are never reused: a retired
code stays retired.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    title: str
    explanation: str
    fix: str
    example: str  # the line printed for the test project of this code (tests/test_error_codes.py)
    warning: bool = False  # a warning: it fails only a --strict build


FAMILIES: dict[str, str] = {
    "RP1": "Configuration",
    "RP2": "Query files and sections",
    "RP3": "Charts and personal data",
    "RP4": "SQL",
    "RP5": "Data exports",
    "RP6": "Narrative pages",
    "RP7": "Site build",
    "RP8": "Command line",
}

_QUERY = "queries/sales/broken.sql"

CATALOGUE: tuple[ErrorCode, ...] = (
    ErrorCode(
        "RP101",
        "The MkDocs configuration file is missing",
        "Every command reads the site's `mkdocs.yml` from the current folder.",
        "Run revpages in the site's folder, or pass `--config-file` (or set REVPAGES_CONFIG).",
        "mkdocs.yml: RP101 no such file. Hint: run revpages in the site's folder, or pass "
        "--config-file.",
    ),
    ErrorCode(
        "RP102",
        "The revpages plugin is not enabled",
        "`revpages check` and `revpages new` need the plugin's options, so `mkdocs.yml` must "
        "list it under `plugins:`.",
        "Add `- revpages` under `plugins:` in `mkdocs.yml`.",
        "mkdocs.yml: RP102 the revpages plugin is not enabled. Hint: add '- revpages' under "
        "'plugins:'.",
    ),
    ErrorCode(
        "RP103",
        "An option in mkdocs.yml is invalid",
        "MkDocs refused a value of `mkdocs.yml`: a revpages option of the wrong type or not "
        "one of its choices, another MkDocs setting, or a file that is not valid YAML. The "
        "location is the option's line.",
        "Fix the value as the message says; the Configuration page lists every revpages "
        "option with its type and default.",
        "mkdocs.yml:13:5: RP103 Config value 'plugins': Plugin 'revpages' option "
        "'table_rows': Expected type: <class 'int'> but received: <class 'str'> Hint: fix it "
        "there; the guide's Configuration page lists every revpages option.",
    ),
    ErrorCode(
        "RP104",
        "The queries folder does not exist",
        "Reports are read from `queries_dir` (default `queries/`), one sub-folder per section.",
        "Create the folder, or point `queries_dir` at the folder that holds the reports.",
        "RP104 the queries folder 'queries' does not exist. Hint: create it, or set "
        "'queries_dir' of the revpages plugin in mkdocs.yml.",
    ),
    ErrorCode(
        "RP105",
        "data_columns names a column that is not in the contract",
        "The keys of `data_columns` are contract columns written `table.column`; revpages "
        "can only change where a contract column comes from.",
        "Use a column of the Data contract page, e.g. `deals.loss_reason`.",
        "RP105 data_columns: 'deals.lost_reason' is not a contract column. Hint: Did you mean "
        "'deals.loss_reason'?",
    ),
    ErrorCode(
        "RP106",
        "data_columns names an export column that does not exist",
        "The values of `data_columns` are columns of the CRM export files, and none of the "
        "exports that feed the table has this one.",
        "Write the header exactly as exported (or the CRM's internal name), and check that "
        "the export includes that column.",
        "RP106 data_columns: 'deals.loss_reason' names 'Why', which is not a column of deals "
        "exports. Hint: use the column's header as exported (or its internal name), and check "
        "that the export includes it.",
    ),
    ErrorCode(
        "RP107",
        "data_stage_map maps to a stage that is not in the contract",
        "Every deal stage of the export must become one of the contract's stages, which the "
        "funnel and forecast reports rely on.",
        "Map each export stage to one of the stages the message lists.",
        "RP107 data_stage_map: 'demo' maps to 'meeting', which is not a contract stage. Hint: "
        "use one of qualification, discovery, proposal, negotiation, closed_won, closed_lost.",
    ),
    ErrorCode(
        "RP108",
        "An alias is empty",
        "`aliases` joins other spellings of a competitor's name under one name; a name or a "
        "spelling that is empty cannot be matched.",
        "Write `aliases` as `{Name: [other spelling, ...]}` with no empty names.",
        "RP108 aliases: 'Globex' has an empty name. Hint: write aliases as {Name: [other "
        "spelling, ...]}.",
    ),
    ErrorCode(
        "RP109",
        "required_tables names a table that is not in the contract",
        "`required_tables` lists data-contract tables the build cannot do without.",
        "Use the table names of the data contract (the message suggests the nearest).",
        "RP109 required_tables: 'spends' is not a contract table. Hint: Did you mean 'spend'?",
    ),
    ErrorCode(
        "RP201",
        "A file or section name is not a valid page name",
        "Section folders and query files become page addresses, so their names may hold "
        "lower-case letters, digits, `_` and `-` only, 100 characters at most (longer names "
        "would make paths some file systems refuse).",
        "Rename the folder or file, e.g. `Win Rate.sql` to `win_rate.sql`.",
        "queries/sales/Win Rate.sql: RP201 the file name 'Win Rate' is not a valid page name. "
        "Hint: use lower-case letters, digits, '_' and '-' only, 100 at most.",
    ),
    ErrorCode(
        "RP202",
        "A query file is not inside a section folder",
        "Only `queries/<section>/<report>.sql` becomes a page; a file loose in `queries/` or "
        "nested deeper would be ignored without a word.",
        "Move it into a section folder (folders starting with `_` are private).",
        "queries/pipeline.sql: RP202 this query file is not directly inside a section folder, "
        "so it has no page. Hint: move it to queries/<section>/<report>.sql.",
    ),
    ErrorCode(
        "RP203",
        "A query or section file is not UTF-8",
        "Query files and `_section.yml` are read as UTF-8 text; the message gives the first "
        "byte that is not.",
        "Save the file as UTF-8 (most editors offer it in the save dialog).",
        "queries/sales/cafe.sql: RP203 the file is not UTF-8 text (invalid continuation byte "
        "at byte 13). Hint: save the file as UTF-8.",
    ),
    ErrorCode(
        "RP204",
        "A query file has no front matter",
        "A query file starts with a `/* ... */` comment holding its front matter (at least a "
        "title); only `--` comment lines may come before it.",
        "Begin the file with a block comment holding `title:`, then the SQL.",
        f"{_QUERY}:1:1: RP204 the file does not start with a front-matter block comment. Hint: "
        "begin the file with /* title: Win rate by competitor */ before the SQL.",
    ),
    ErrorCode(
        "RP205",
        "The front-matter comment is never closed",
        "The `/*` that opens the front matter has no `*/`, so the whole file would be a comment.",
        "Close the front matter with `*/` before the SQL.",
        f"{_QUERY}:1:1: RP205 the front-matter comment '/*' is never closed. Hint: close it "
        "with '*/' before the SQL.",
    ),
    ErrorCode(
        "RP206",
        "A query file has no SQL",
        "Nothing but white space or `;` follows the front matter.",
        "Write the report's SELECT statement after the closing `*/`.",
        f"{_QUERY}:3:3: RP206 the file has front matter but no SQL. Hint: write a SELECT "
        "statement after the closing '*/'.",
    ),
    ErrorCode(
        "RP207",
        "The front matter is not valid YAML",
        "The front matter is YAML: one `key: value` per line. An unclosed bracket or quote, a "
        "tab, a control character or a key that is not a plain name stops it from being read.",
        "Fix the YAML at the position given; quote values that hold `:`, `[` or `{`.",
        f"{_QUERY}:3:1: RP207 the front matter is not valid YAML: expected ',' or ']', but got "
        "'<stream end>'. Hint: write one 'key: value' per line, e.g. 'title: Pipeline by "
        "stage'.",
    ),
    ErrorCode(
        "RP208",
        "The front matter is not a mapping",
        "The front matter must be `key: value` lines, not a bare sentence or a list.",
        "Write `title: ...` and the other keys, one per line.",
        f"{_QUERY}:2:1: RP208 the front matter must be a YAML mapping of keys to values. Hint: "
        "start with 'title: My report'.",
    ),
    ErrorCode(
        "RP209",
        "A front-matter key appears twice",
        "YAML would silently keep the last value; revpages refuses to guess which one you meant.",
        "Keep one of the two lines.",
        f"{_QUERY}:3:1: RP209 the key 'title' appears twice. Hint: keep one of them.",
    ),
    ErrorCode(
        "RP210",
        "Unknown front-matter key",
        "Front matter accepts only the keys of the Query files page; a misspelt key would "
        "otherwise be ignored without a word.",
        "Use the suggested key, or one of the keys listed in the hint.",
        f"{_QUERY}:2:1: RP210 unknown front-matter key 'titel'. Hint: Did you mean 'title'?",
    ),
    ErrorCode(
        "RP211",
        "Invalid front-matter value",
        "A key has a value of the wrong kind: a chart type that does not exist, a list where "
        "a column name is expected, an unknown number format, a reference without a label, "
        "a misspelt field of a mapping (`lable:`). A misspelt word gets the nearest valid one "
        "as its hint.",
        "Write a value like the example in the hint; the Query files page describes each key.",
        f"{_QUERY}:3:1: RP211 the value 'pie' of 'chart' is invalid: expected one of kpi, "
        "line, bar, horizontal_bar, stacked_bar, area, scatter, dumbbell, heatmap, funnel, "
        "paths, table. Hint: for example 'chart: bar'.",
    ),
    ErrorCode(
        "RP212",
        "A required front-matter key is missing",
        "Every report needs a `title`: it names the page, the navigation entry and the chart.",
        "Add the key to the front matter.",
        f"{_QUERY}:1:1: RP212 the front matter has no 'title'. Hint: add 'title: Win rate by "
        "competitor'.",
    ),
    ErrorCode(
        "RP213",
        "A _section.yml file is not valid",
        "A section's `_section.yml` holds `key: value` lines in YAML.",
        "Fix the YAML at the position given.",
        "queries/sales/_section.yml:2:1: RP213 not valid YAML: expected ',' or ']', but got "
        "'<stream end>'. Hint: write 'title: ...', 'order: 10' and 'description: ...' lines.",
    ),
    ErrorCode(
        "RP214",
        "Unknown section key",
        "`_section.yml` accepts `title`, `order` and `description` only.",
        "Use the suggested key.",
        "queries/sales/_section.yml:2:1: RP214 unknown section key 'ordr'. Hint: Did you mean "
        "'order'?",
    ),
    ErrorCode(
        "RP215",
        "Invalid section value",
        "`order` is a whole number (sections are sorted by it); `title` and `description` are "
        "text.",
        "Write a value like the example in the hint.",
        "queries/sales/_section.yml:2:1: RP215 'order' must be a whole number, not 'first'. "
        "Hint: for example 'order: 10'.",
    ),
    ErrorCode(
        "RP216",
        "A model name is not a valid view name",
        "A shared model `queries/_models/<name>.sql` becomes a view called `<name>`, which "
        "queries name without quotes: lower-case letters, digits and `_`, not starting with "
        "a digit.",
        "Rename the file, e.g. `won-deals.sql` to `won_deals.sql`.",
        "queries/_models/won-deals.sql: RP216 the model name 'won-deals' is not a valid view "
        "name. Hint: use lower-case letters, digits and '_', starting with a letter or '_'.",
    ),
    ErrorCode(
        "RP217",
        "A model has the name of a data table",
        "A model named like a loaded table (`deals`) would hide it, and a query could not "
        "tell which one it reads.",
        "Rename the model file.",
        "queries/_models/deals.sql: RP217 the model 'deals' has the name of a data table, so a "
        "query could not tell them apart. Hint: rename the file, e.g. to deals_model.sql.",
    ),
    ErrorCode(
        "RP301",
        "The front matter names a column the query does not return",
        "`x`, `y`, `color`, `sort`, `format` and the judgement and layout keys (`error`, "
        "`reference`, `highlight`, `n`, `pivot`, `facet`, `label`, `sparkline`) name columns "
        "of the query's result; the location is the key that names the missing one.",
        "Use one of the columns the hint lists, or add the column to the SELECT.",
        f"{_QUERY}:5:1: RP301 'y' names the column 'amount', which the query does not return. "
        "Hint: the query returns stage, total.",
    ),
    ErrorCode(
        "RP302",
        "The chart has nothing to draw",
        "Without `y`, a chart draws every numeric column but `x` and `color`, and the query "
        "returns none.",
        "Name the value column with `y:`, or return a number (e.g. `count(*) as deals`).",
        f"{_QUERY}:1:1: RP302 the chart has no numeric column to draw. Hint: name the value "
        "column with 'y: column'.",
    ),
    ErrorCode(
        "RP303",
        "The chart has too many points",
        "A chart with more points than `chart_max_points` makes a slow page nobody can read; "
        "it is refused rather than cut short.",
        "Aggregate further in SQL (by week instead of by day, the top 20...), use "
        "`chart: table`, or raise `chart_max_points`.",
        "queries/sales/pipeline.sql:4:1: RP303 the chart would draw 3 points, more than the "
        "limit of 2. Hint: aggregate further in SQL, or use 'chart: table'.",
    ),
    ErrorCode(
        "RP304",
        "The chart has no column for its horizontal axis",
        "Without `x`, a chart puts the first column that is not a value column on the "
        "horizontal axis, and every column of this query is a value column.",
        "Name the axis column with `x:`, or return a label column (e.g. a stage or a month).",
        f"{_QUERY}:1:1: RP304 the chart needs a column for the horizontal axis. Hint: add "
        "'x: column'.",
    ),
    ErrorCode(
        "RP305",
        "'color' with several value columns",
        "`color` splits one value column into one series per value of the color column, so "
        "`y` may name one column only.",
        "Name one column in `y`, or drop `color`.",
        f"{_QUERY}:5:1: RP305 'color' splits one value column into series; 'y' names "
        "several. Hint: name one column in 'y', or drop 'color'.",
    ),
    ErrorCode(
        "RP306",
        "A kpi chart needs exactly one row",
        "A kpi shows one number per `y` column, so the query must return one row.",
        "Aggregate to one row (`sum`, `count`, `avg` without GROUP BY), or use another chart.",
        f"{_QUERY}:3:1: RP306 a kpi chart needs exactly one row; the query returned 4. "
        "Hint: aggregate to one row, or use another chart type.",
    ),
    ErrorCode(
        "RP307",
        "A kpi value is not a number",
        "A kpi shows numbers; a text, a date or a time cannot be drawn as one.",
        "Name a numeric column in `y` (e.g. the number of days since the date), or use "
        "`chart: table`.",
        f"{_QUERY}:4:1: RP307 a kpi shows a number; the column 'latest' holds TIMESTAMP "
        "values. Hint: name a numeric column in 'y', or use 'chart: table'.",
    ),
    ErrorCode(
        "RP308",
        "The chart draws a column this site does not publish",
        "The column looks like personal data (an e-mail, a phone number, a person's name) or, "
        "for `audience: wide`, is a record id or a note, so it is left out of the page; a "
        "chart cannot draw it.",
        "Draw an aggregate instead, or add `personal_data: true` if the report may show "
        "personal data.",
        f"{_QUERY}:4:1: RP308 'x' draws the column 'email', which this site does not publish "
        "(personal data). Hint: add 'personal_data: true' if this report may show it.",
    ),
    ErrorCode(
        "RP309",
        "A column was left out as personal data",
        "The column's name or values look like personal data, so the page and the CSV do not "
        "show it. The build goes on; `--strict` fails.",
        "Leave the column out of the query, or add `personal_data: true` to publish it.",
        f"{_QUERY}:5:1: RP309 the column 'email' looks like personal data and was left out of "
        "the page and the CSV. Hint: add 'personal_data: true' to publish it, or leave it out "
        "of the query.",
        warning=True,
    ),
    ErrorCode(
        "RP310",
        "The result has more rows than limit_csv_rows",
        "A report's CSV download holds every row of its result, so a result of millions of "
        "rows (a forgotten GROUP BY, a join that multiplies) would publish a file nobody can "
        "open and hold it all in memory first. The query stops one row past the limit.",
        "Aggregate or filter in the query; raise `limit_csv_rows` if the rows are wanted.",
        f"{_QUERY}:4:1: RP310 the result has more than limit_csv_rows (2) rows, all of which "
        "its CSV would hold. Hint: aggregate or filter in the query, or raise limit_csv_rows "
        "in mkdocs.yml.",
    ),
    ErrorCode(
        "RP311",
        "The page would show more rows than limit_page_rows",
        "A report page shows `table_rows` rows of its result, and `limit_page_rows` bounds "
        "that, so a page stays quick to open.",
        "Lower `table_rows` (the CSV download keeps every row), or raise `limit_page_rows`.",
        f"{_QUERY}:4:1: RP311 the page would show 3 rows, more than limit_page_rows (2). "
        "Hint: lower table_rows (the CSV keeps every row), or raise limit_page_rows in "
        "mkdocs.yml.",
    ),
    ErrorCode(
        "RP312",
        "The result has more columns than limit_columns",
        "Every column becomes a column of the page's table and of the CSV; thousands of them "
        "(a pivot over ids) make a page of megabytes. The check comes before any row is "
        "fetched.",
        "Select the columns the page needs, or raise `limit_columns`.",
        f"{_QUERY}:4:1: RP312 the result has 3 columns, more than limit_columns (2). Hint: "
        "select the columns the page needs (pivot fewer values), or raise limit_columns in "
        "mkdocs.yml.",
    ),
    ErrorCode(
        "RP313",
        "Comparing periods with a query that uses no period parameter",
        "`compare:` runs the query again with the prior period's (or last year's) "
        "parameters; a query that does not filter by `$period_start` and `$period_end` "
        "gives the same numbers every time, so the change would always be zero.",
        "Filter by the period parameters (see the Calendar page), or remove `compare`.",
        f"{_QUERY}:3:1: RP313 'compare' runs the query again for the prior period, but its "
        "SQL uses no period parameter, so every run would give the same numbers. Hint: "
        "filter by $period_start and $period_end, or remove 'compare'.",
    ),
    ErrorCode(
        "RP314",
        "A judgement key names a column of the wrong type",
        "`highlight` needs a true/false column; `n`, `error`, `reference` columns, the "
        "values of a chart and the `x` of a scatter need numbers; a `sparkline` needs a list "
        "of numbers. The location is the key.",
        "Cast the column in SQL (`closed_deals < 30 as small`, `amount::double`), or name "
        "another column.",
        f"{_QUERY}:6:1: RP314 'highlight' names the column 'flag', which holds VARCHAR values; "
        "it needs true/false values. Hint: cast the column in SQL, or name another one.",
    ),
    ErrorCode(
        "RP315",
        "The chart does not draw a key, or lacks one it needs",
        "Each chart kind draws some keys only (`label` names scatter points, `sparkline` is "
        "for KPI tiles...), and some kinds need a key: a heatmap draws the grid of `pivot`, "
        "a dumbbell joins the two columns of `y`, a KPI target names its tile with `y`.",
        "Add the key the message names, remove the one the chart does not draw, or choose "
        "the chart kind the hint lists.",
        f"{_QUERY}:3:1: RP315 a heatmap draws the grid of 'pivot', which the front matter does "
        "not set. Hint: add 'pivot: {rows: model, columns: channel, values: share}'.",
    ),
    ErrorCode(
        "RP316",
        "Too many small multiples",
        "`facet` draws one small chart per value of its column; past 12 they are too small "
        "to read.",
        "Facet by a column with fewer values, or keep the rows that matter in SQL.",
        f"{_QUERY}:6:1: RP316 'facet' would draw 13 small charts, more than 12. Hint: facet "
        "by a column with fewer values, or filter the rows in SQL.",
    ),
    ErrorCode(
        "RP317",
        "Too many views",
        "`params` makes one view per combination of its values, each run and written at "
        "build time; past `limit_views` the build would be slow and the page heavy.",
        "Offer fewer values or fewer parameters, or raise `limit_views`.",
        f"{_QUERY}:3:1: RP317 'params' makes 3 views (every combination of its values), more "
        "than limit_views (2). Hint: offer fewer values (or fewer parameters), or raise "
        "limit_views in mkdocs.yml.",
    ),
    ErrorCode(
        "RP318",
        "params: site without site-wide parameters",
        "`params: site` gives a report the selectors declared once in `mkdocs.yml`; with none "
        "declared there is nothing to select.",
        "Declare the site-wide parameters under the plugin's `params` option, or list the "
        "report's own under `params:`.",
        f"{_QUERY}:3:1: RP318 'params: site' takes the site-wide parameters, but mkdocs.yml "
        "declares none. Hint: declare them under the plugin's params option (e.g. params: "
        "{segment: deals.segment}), or list the report's own.",
    ),
    ErrorCode(
        "RP401",
        "SQL syntax error",
        "DuckDB could not parse the query; the location is where it stopped understanding.",
        "Check the SQL at and just before the position given.",
        f'{_QUERY}:4:1: RP401 Parser error: syntax error at or near "selec". Hint: check the '
        "SQL near this position.",
    ),
    ErrorCode(
        "RP402",
        "Unknown column",
        "The query names a column that none of the tables it reads has.",
        "Use the suggested column; the Data contract page lists the columns of each table.",
        f'{_QUERY}:4:19: RP402 Binder error: Referenced column "amout" not found in FROM '
        "clause. Hint: Did you mean 'amount' or 'account_id' or 'product'?",
    ),
    ErrorCode(
        "RP403",
        "Unknown table or function",
        "Tables are named after the files of the data folder (`data/deals.csv` is `deals`), "
        "and the query names one that was not loaded, or a function DuckDB does not have.",
        "Use the suggested name, or add the export to the data folder.",
        f"{_QUERY}:4:19: RP403 Catalog error: Table with name deels does not exist. Hint: Did "
        "you mean 'deals'?",
    ),
    ErrorCode(
        "RP404",
        "The query failed",
        "DuckDB understood the query but could not run it: a value that does not convert, a "
        "GROUP BY that misses a column, a function given the wrong types.",
        "Fix the query as DuckDB's message says.",
        f"{_QUERY}:4:14: RP404 Conversion error: Could not convert string 'many' to INT32. "
        "Hint: fix the query and build again.",
    ),
    ErrorCode(
        "RP405",
        "The query ran out of memory",
        "The query needed more memory than `duckdb_memory_limit` (DuckDB's default: 80% of the "
        "machine's memory).",
        "Aggregate or filter earlier in the query, or raise `duckdb_memory_limit`.",
        f"{_QUERY}:4:1: RP405 Out of Memory error: failed to allocate data of size 16.0 MiB "
        "(50.2 MiB/61.0 MiB used). Hint: aggregate earlier in the query, or raise "
        "duckdb_memory_limit in mkdocs.yml.",
    ),
    ErrorCode(
        "RP406",
        "The query ran longer than query_timeout",
        "Each report query may run `query_timeout` seconds (default 300); a runaway join "
        "would otherwise hold up the nightly build.",
        "Aggregate earlier or filter more, or raise `query_timeout`.",
        f"{_QUERY}:4:1: RP406 the query ran longer than the limit of 0.5 s and was stopped. "
        "Hint: aggregate earlier or filter more, or raise query_timeout in mkdocs.yml.",
    ),
    ErrorCode(
        "RP407",
        "The query tried to read a file or the network",
        "Report queries are sandboxed: they read the loaded tables only, never files, URLs or "
        "extensions.",
        "Put the file in the data folder; it becomes a table the query can read.",
        f'{_QUERY}:4:15: RP407 Permission error: Cannot access file "/etc/passwd" - file '
        "system operations are disabled by configuration. Hint: queries read only the tables "
        "loaded from the data folder; put the file there.",
    ),
    ErrorCode(
        "RP408",
        "More than one SQL statement",
        "A report is exactly one statement: its result is the page.",
        "Keep one SELECT; move the steps before it into a WITH clause.",
        f"{_QUERY}:4:1: RP408 the file holds 2 SQL statements; a report runs exactly one. Hint: "
        "keep one SELECT statement; put shared logic in a WITH clause.",
    ),
    ErrorCode(
        "RP409",
        "The query is not a read-only SELECT",
        "Report queries are read-only: INSERT, DELETE, CREATE, SET, PRAGMA and the like are "
        "refused.",
        "Write a SELECT (or WITH ... SELECT) statement.",
        f"{_QUERY}:4:1: RP409 only SELECT or WITH queries may run in a report, not DELETE. "
        "Hint: report queries are read-only; write a SELECT statement.",
    ),
    ErrorCode(
        "RP410",
        "The query returned no rows",
        "The page is built with an empty table, which usually means a filter or the data is "
        "wrong. The build goes on; `--strict` fails.",
        "Check the query's filters and the data folder.",
        f"{_QUERY}:5:1: RP410 the query returned no rows; the page shows an empty table. Hint: "
        "check the filters, or the data folder.",
        warning=True,
    ),
    ErrorCode(
        "RP411",
        "Models read each other in a cycle",
        "Each model is created after the models it reads, so models that read each other "
        "(directly or through others) can never be created. The location is the read that "
        "closes the cycle.",
        "Move the shared part into one model that both read.",
        "queries/_models/a.sql:4:15: RP411 the models read each other in a cycle: a -> b -> a, "
        "so none of them can be created. Hint: a model may read tables and other models, but "
        "never itself through them; move the shared part into one model that both read.",
    ),
    ErrorCode(
        "RP412",
        "A query reads a model that could not be created",
        "The model has an error of its own, printed too, so the queries that read it cannot run.",
        "Fix the model's own error first.",
        f"{_QUERY}:4:31: RP412 the model 'won' could not be created, so this query cannot "
        "read it. Hint: fix queries/_models/won.sql first; its own error is shown too.",
    ),
    ErrorCode(
        "RP413",
        "The query uses a function or table the sandbox denies",
        "DuckDB's settings and catalogue (`current_setting`, `duckdb_settings()`, "
        "`duckdb_views()`, `pragma_*`, `information_schema`...) would tell a published page "
        "about the machine that built it, such as the paths of the cache, and `query('...')` "
        "runs SQL no check sees. Reports and models may not use them; the Query files page "
        "lists every one.",
        "Leave it out: read the data tables and shared models only.",
        f"{_QUERY}:4:8: RP413 the query uses 'current_setting', which reports may not use. "
        "Hint: reports read the data tables and shared models only; the guide's Query files "
        "page lists what the sandbox denies.",
    ),
    ErrorCode(
        "RP414",
        "The query is still running (preview only)",
        "`revpages serve` runs queries in the background, so a slow one never freezes the "
        "preview: its page says how long it has been running and shows the result as soon as "
        "it ends. Saving the file again stops the running query and starts the new one. A "
        "build (`revpages build`) always waits for every query.",
        "Wait, or make the query faster; `query_timeout` still stops it.",
        f"{_QUERY}:4:1: RP414 the query has been running for 3 s; this page shows its result "
        "as soon as it ends. Hint: keep editing: saving the file again stops this run and "
        "starts the new query.",
    ),
    ErrorCode(
        "RP415",
        "The query uses a parameter revpages does not bind",
        "Queries may use the calendar's parameters (`$as_of`, `$period_start`, "
        "`$period_end`, `$prior_start`, `$prior_end`, `$last_year_start`, "
        "`$last_year_end`); any other `$name`, or a positional `?`, has no value.",
        "Use one of the calendar's parameters; the Calendar page lists them.",
        f"{_QUERY}:4:52: RP415 the query uses the parameter '$period_begin', which revpages "
        "does not bind. Hint: Did you mean '$period_end'?",
    ),
    ErrorCode(
        "RP416",
        "A shared model uses a parameter",
        "A model in `queries/_models` is a view, created once and read by every report, so "
        "it cannot take the period's parameters.",
        "Join the `calendar` table in the model, and filter by the period in the reports "
        "that read it.",
        "queries/_models/recent.sql:5:20: RP416 the model uses the parameter '$as_of', but "
        "a model is a view, created once for every report: it cannot take parameters. Hint: "
        "join the calendar table in the model, and filter by the period in the reports that "
        "read it.",
    ),
    ErrorCode(
        "RP501",
        "The data folder holds no exports",
        "The data folder (`data_dir`) has no CSV, TSV, Excel or Parquet file to load.",
        "Copy the exports there, or run `revpages sample-data` for sample data.",
        "data: RP501 no CSV, Excel or Parquet files in this folder. Hint: run 'revpages "
        "sample-data' for sample data, or copy your exports there.",
    ),
    ErrorCode(
        "RP502",
        "Two files would become the same table",
        "Each file becomes the table named after it, ignoring case and extension, so "
        "`deals.csv` and `Deals.tsv` both claim `deals`.",
        "Rename or remove one of them.",
        "data/deals.csv: RP502 'deals.csv' and 'Deals.tsv' would both become table 'deals'. "
        "Hint: rename or remove one of them.",
    ),
    ErrorCode(
        "RP503",
        "An export file cannot be read",
        "DuckDB could not read the file: it is cut short, not really CSV, Excel or Parquet, "
        "or damaged.",
        "Export the file again; check that the download finished.",
        "data/spend.parquet: RP503 cannot read 'spend.parquet': Invalid Input Error: No magic "
        "bytes found at end of file 'data/spend.parquet'. Hint: check that the file is a "
        "valid, complete export.",
    ),
    ErrorCode(
        "RP504",
        "An export file lacks a required column",
        "A contract table (or a CRM object) needs these columns to place a row at all (an "
        "id, the time of a touch); the message lists the headers the file has. Other missing "
        "columns only leave values empty, and the data-quality page names them.",
        "Export the missing columns, or rename the headers to the contract's names.",
        "data/touchpoints.csv:1:1: RP504 'touchpoints.csv' has no column 'touched_at' "
        "required by table 'touchpoints'; it has touchpoint_id, lead_id, channel. Hint: "
        "export the missing columns, or rename the header to the contract's name.",
    ),
    ErrorCode(
        "RP505",
        "Excel files cannot be read",
        "Reading `.xlsx` needs the `duckdb-extension-excel` package, built for the installed "
        "DuckDB version.",
        "Install the package with the same version as duckdb, or save the sheet as CSV.",
        "RP505 reading .xlsx files needs the Python package 'duckdb-extension-excel'. Hint: "
        "pip install duckdb-extension-excel==1.5.5, or save the sheet as CSV.",
    ),
    ErrorCode(
        "RP506",
        "A native file in a CRM export folder",
        "With `data_format: hubspot` or `salesforce`, the contract tables are built from the "
        "CRM's exports, so a file named like a contract table would be ambiguous.",
        "Name the files after the CRM's objects, or set `data_format: native`.",
        "data/deal_competitors.csv: RP506 'deal_competitors.csv' is named like a native "
        "export, but data_format is 'hubspot', which builds table 'deal_competitors' from the "
        "hubspot exports. Hint: name the files after hubspot objects (contacts.csv, "
        "companies.csv, deals.csv, owners.csv, campaigns.csv, form_submissions.csv, "
        "marketing_events.csv, web_events.csv, engagements.csv), or set data_format: native.",
    ),
    ErrorCode(
        "RP507",
        "No file is an export of the configured CRM",
        "`data_format` says the folder holds HubSpot or Salesforce exports, but no file is "
        "named like one.",
        "Name the exports as the CRM exports page shows, or set `data_format` to match them.",
        "data: RP507 data_format is 'hubspot', but no file of the data folder is a hubspot "
        "export (expected names like contacts.csv, companies.csv, deals.csv, owners.csv, "
        "campaigns.csv, form_submissions.csv, marketing_events.csv, web_events.csv, "
        "engagements.csv). Hint: see the 'CRM exports' page of the user guide.",
    ),
    ErrorCode(
        "RP508",
        "A CRM mapping failed",
        "The SQL that turns a CRM's exports into a contract table did not run, usually "
        "because it was edited.",
        "Restore the mapping SQL that came with revpages, and check `data_columns`.",
        "RP508 the mapping of 'deals' does not parse: syntax error at or near \"from\". Hint: "
        "restore the mapping SQL that came with revpages.",
    ),
    ErrorCode(
        "RP509",
        "Too many rows of an export were refused",
        "Rows that cannot be placed at all (a missing id, an unreadable record) are refused "
        "and listed on the data-quality page; doubtful values of other rows are only flagged. "
        "More than `max_reject_share` of one file refused means the export itself is wrong. "
        "The build goes on; `--strict` fails.",
        "Fix the export (the data-quality page lists each reason with sample lines), or raise "
        "`max_reject_share`.",
        "data/deals.csv: RP509 25.0% of its 4 rows were refused, more than max_reject_share "
        "(5.0%); most often 'missing deal_id' (1 rows, first at line 4). Hint: fix the "
        "export (see the data-quality page), or raise max_reject_share.",
        warning=True,
    ),
    ErrorCode(
        "RP510",
        "A report did not run because the data did not load",
        "Under `revpages serve`, a data problem leaves every report without a result; each "
        "report page says so, under the data problem itself.",
        "Fix the data problem shown first.",
        "queries/sales/pipeline.sql: RP510 the query did not run: the data could not be "
        "loaded. Hint: fix the data problem shown above.",
    ),
    ErrorCode(
        "RP511",
        "An export is named like a table revpages computes",
        "The attribution tables (`attribution_credits`, `markov_removal_effects`, ...) are "
        "computed from the contract tables on every load; a data file of the same name would "
        "silently replace them or be replaced.",
        "Rename the file.",
        "data/attribution_credits.csv: RP511 'attribution_credits.csv' would become table "
        "'attribution_credits', which revpages computes itself from the contract tables. "
        "Hint: rename the file; reports read the computed table.",
    ),
    ErrorCode(
        "RP512",
        "A required table was not exported",
        "`required_tables` names a table no file of the data folder fills. Without it, the "
        "reports that need a missing table would only wait for data; a required one fails "
        "the build.",
        "Put the export in the data folder (the message names the file), or remove the table "
        "from `required_tables`.",
        "data: RP512 table 'spend' is required (required_tables), but no export fills it. "
        "Hint: put spend.csv in the data folder, or remove 'spend' from required_tables.",
    ),
    ErrorCode(
        "RP513",
        "An .xlsx export unpacks to more than limit_xlsx_mb",
        "An .xlsx file is a zip archive; a small one can unpack to gigabytes (a zip bomb) "
        "and take that much memory to read. Its content is measured as it unpacks, before "
        "DuckDB reads it, and the build stops past the limit.",
        "Export the sheet as CSV, or raise `limit_xlsx_mb` if the workbook is genuine.",
        "data/targets.xlsx: RP513 this workbook unpacks to more than limit_xlsx_mb (1 MB). "
        "Hint: export the sheet as CSV, or raise limit_xlsx_mb in mkdocs.yml if the file is "
        "genuine.",
    ),
    ErrorCode(
        "RP601",
        "Unknown embed kind",
        "A line holding only `[[kind section/report]]` embeds a report in a hand-written page; "
        "the kind is `chart`, `table`, `tiles` or `attention`.",
        "Write `chart`, `table`, `tiles` or `attention`.",
        "site_src/story.md:3:3: RP601 unknown embed kind 'chrat' in '[[chrat sales/pipeline]]'. "
        "Hint: Did you mean 'chart'?",
    ),
    ErrorCode(
        "RP602",
        "An embed names no report",
        "The marker has a kind but no `section/report`.",
        "Add the report, named like its query file: `queries/sales/pipeline.sql` is "
        "`sales/pipeline`.",
        "site_src/story.md:3:8: RP602 the marker '[[table]]' names no report. Hint: write "
        "[[table section/report]], e.g. the path of the query file in queries/.",
    ),
    ErrorCode(
        "RP603",
        "An embed names an unknown report",
        "No query file `queries/<section>/<report>.sql` has this name.",
        "Use the suggested report, or the path of an existing query file.",
        "site_src/story.md:3:9: RP603 unknown report 'sales/pipelin' in "
        "'[[chart sales/pipelin]]'. Hint: Did you mean 'sales/pipeline'?",
    ),
    ErrorCode(
        "RP604",
        "An embedded report has no chart",
        "The report is `chart: table`, so there is no chart to embed.",
        "Embed its table instead.",
        "site_src/story.md:3:3: RP604 the report 'sales/deals' has no chart (chart: table). "
        "Hint: embed its table: [[table sales/deals]].",
    ),
    ErrorCode(
        "RP605",
        "A report names a glossary term but the site has no glossary",
        "The query's `glossary` key names terms, and they are headings of the glossary page "
        "(`site_src/glossary.md` by default), which does not exist.",
        "Write the glossary page with a heading per term, or point the `glossary_page` option "
        "at yours.",
        "queries/sales/broken.sql:3:1: RP605 glossary term 'win-rate': there is no glossary "
        "page site_src/glossary.md. Hint: write site_src/glossary.md with a heading per term, "
        "e.g. '## Win rate {#win-rate}', or set the plugin's glossary_page option.",
    ),
    ErrorCode(
        "RP606",
        "A glossary term is not on the glossary page",
        "Each term of a query's `glossary` key is the anchor of a heading of the glossary page: "
        "its `{#id}`, or the id MkDocs gives the heading text.",
        "Use an anchor the message lists, or add a heading for the term to the glossary.",
        "queries/sales/broken.sql:3:1: RP606 glossary term 'win-rat' is not a heading of "
        "site_src/glossary.md. Did you mean 'win-rate'? Hint: use the anchor of a heading there "
        "(known: win-rate) or add the term to it.",
    ),
    ErrorCode(
        "RP701",
        "A hand-written page clashes with a report page",
        "Each report becomes the page `<section>/<report>.md` of the site, and a file of "
        "`site_src/` already has that path.",
        "Rename the hand-written page or the query file.",
        "site_src/sales/pipeline.md: RP701 this file clashes with a generated report file. "
        "Hint: rename it or the query file.",
    ),
    ErrorCode(
        "RP702",
        "The disk is full",
        "The operating system refused to write a file of the build (the site, the cache, the "
        "manifest) because its disk or quota is full. A site not yet swapped into place is "
        "not published.",
        "Free space on that disk, or point `site_dir` or `cache_dir` at another one.",
        "/dev/full: RP702 the operating system refused: no space left on device. Hint: free "
        "space on that disk, or point site_dir or cache_dir in mkdocs.yml at another one.",
    ),
    ErrorCode(
        "RP703",
        "A file or folder may not be written",
        "The operating system refused to write a file of the build: the folder is read-only, "
        "or belongs to another user. A site not yet swapped into place is not published.",
        "Make the folder writable for the user running the build, or point `site_dir` or "
        "`cache_dir` elsewhere.",
        "/sys/kernel/notes: RP703 the operating system refused: permission denied. Hint: make "
        "the folder writable, or point site_dir or cache_dir in mkdocs.yml elsewhere.",
    ),
    ErrorCode(
        "RP704",
        "A file name is too long",
        "A path of the build is longer than the file system allows (255 bytes per name on "
        "most). Report and section names are limited to 100 characters for this reason.",
        "Use shorter folder, section and report names.",
        "mmmmmmmmmmmmmmmmmmmm…mmmmm.json: RP704 the operating system refused: file name too "
        "long. Hint: use shorter names for the folders, sections and reports (100 characters "
        "at most).",
    ),
    ErrorCode(
        "RP705",
        "The operating system refused a file operation",
        "Reading or writing a file of the build failed for another reason the message names "
        "(a path through a file, a device error...).",
        "Check the file the message names and its disk, then run the command again.",
        "mkdocs.yml/manifest.json: RP705 the operating system refused: not a directory. "
        "Hint: check that file and its disk, then run the command again.",
    ),
    ErrorCode(
        "RP706",
        "Another build of the site is running",
        "One build of a site runs at a time, so two builds never publish into one folder. "
        "With `--no-wait`, a build that finds another one running stops at once instead of "
        "waiting for it.",
        "Wait for the other build to finish, or leave out `--no-wait` to wait for it.",
        "build: RP706 another build of this site is running (process 4242, since 2025-06-01 "
        "04:17:02); this one did not start. Hint: wait for it to finish, or leave out "
        "--no-wait to wait for it.",
    ),
    ErrorCode(
        "RP707",
        "A damaged cache was discarded",
        "A file of the cache folder (stored data, a compiled template) was not as revpages "
        "wrote it: truncated by a full disk or a killed process, or changed by something "
        "else. Caches only make builds faster, so the file is removed and this build makes "
        "it again from the inputs. The line is a notice: it never fails a build, not even a "
        "`--strict` one, because the site is built right.",
        "Nothing; if it comes back, check the disk that holds `cache_dir`.",
        ".cache/revpages/data-4f2a9c1e7b3d5a6c8e0f: RP707 the stored data was damaged "
        "(t0.parquet is not the file that was stored) and was discarded; this build reads the "
        "exports again. Hint: nothing to do; if it happens again, check the disk the cache "
        "is on.",
    ),
    ErrorCode(
        "RP801",
        "Not a report name",
        "`revpages new` takes `SECTION/NAME`, the path of the new query file in `queries/`.",
        "Write e.g. `revpages new sales/win_rate`.",
        "RP801 'sales' is not a report name. Hint: write section/report, e.g. 'revpages new "
        "sales/pipeline'.",
    ),
    ErrorCode(
        "RP802",
        "Not a valid section or report name",
        "The names become page addresses: lower-case letters, digits, `_` and `-` only, and "
        "not starting with `_`.",
        "Choose a name like `sales/win_rate`.",
        "RP802 the section name 'Sales' is not a valid page name. Hint: use lower-case "
        "letters, digits, '_' and '-' only, 100 at most, e.g. 'sales/win_rate'.",
    ),
    ErrorCode(
        "RP803",
        "The report already exists",
        "`revpages new` never overwrites a file.",
        "Edit the existing file, or choose another name.",
        "queries/sales/pipeline.sql: RP803 the report 'sales/pipeline' already exists. Hint: "
        "edit that file, or choose another name.",
    ),
    ErrorCode(
        "RP804",
        "The folder already holds a site",
        "`revpages init` never overwrites a file, and the folder already has some of the "
        "files it writes.",
        "Choose a new or empty folder.",
        ".: RP804 the folder already holds mkdocs.yml, site_src/index.md. Hint: choose a new "
        "folder, e.g. 'revpages init reports'.",
    ),
    ErrorCode(
        "RP805",
        "The preview server cannot listen on its address",
        "`revpages serve` listens on `--dev-addr` (default 127.0.0.1:8000), and another "
        "program already uses that port, or the address is not one of this machine's.",
        "Stop the other program, or pass another port with `-a`.",
        "RP805 cannot serve on 127.0.0.1:8000: address already in use. Hint: stop the program "
        "using that port, or choose another one, e.g. 'revpages serve -a 127.0.0.1:8001'.",
    ),
)

CODES: dict[str, ErrorCode] = {entry.code: entry for entry in CATALOGUE}

_INTRO = """\
# Error codes

Every problem revpages reports has a stable code, printed after the place it is about:

```text
queries/sales/win_rate.sql:3:1: RP210 unknown front-matter key 'titel'. Hint: Did you mean 'title'?
```

The place is `file:line:column` when the problem has one (editors and CI logs turn it into a
link), then the code, what is wrong, and after `Hint:` what to do. A build prints every
problem it finds, exits with code 1 and leaves the previous site in `build/` untouched; no
user mistake prints a Python traceback (`--verbose` shows one, for bug reports).

Codes marked *warning* do not stop a build: they are printed with `warning:` in front, and
fail only a `--strict` build, as CI runs it. Command-line mistakes caught before anything
runs (an unknown option, a missing argument) are printed by the command itself and exit
with code 2.

Each example below is the exact line revpages prints for a small test project.
"""


def markdown() -> str:
    """The guide's page of every code (``site_src/guide/errors.md``)."""
    parts = [_INTRO]
    for prefix, family in FAMILIES.items():
        parts.append(f"## {family}\n")
        parts += [_entry(e) for e in CATALOGUE if e.code.startswith(prefix)]
    return "\n".join(parts)


def _entry(entry: ErrorCode) -> str:
    kind = " *(warning)*" if entry.warning else ""
    return (
        f"### {entry.code}: {entry.title}{kind}\n\n{entry.explanation}\n\n"
        f"```text\n{entry.example}\n```\n\n**Fix:** {entry.fix}\n"
    )


if __name__ == "__main__":
    print(markdown(), end="")
