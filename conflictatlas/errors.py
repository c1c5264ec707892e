"""Every message a user can act on, numbered, in one place (as spaCy's errors.py)."""


class Errors:
    E001 = "[E001] No stage '{name}' is registered. Available stages: {available}"
    E002 = ("[E002] Stage '{name}' requires '{layer}', which no earlier stage assigns. "
            "Pipeline order: {order}")
    E003 = "[E003] Stage '{name}' returned {got!r} instead of a Document."
    E010 = "[E010] {path}: the file is empty."
    E011 = "[E011] {path}: looks like a binary file ({why}); skipped."
    E012 = "[E012] {path}: is {size} MB, over the {limit} MB limit (--max-mb); skipped."
    E013 = "[E013] {path}: not UTF-8 and no known encoding fits; skipped."
    E014 = "[E014] {path}, line {line}: malformed JSON ({why}); line skipped."
    E015 = "[E015] {path}, line {line}: a JSON object with a 'text' string is needed; line skipped."
    E016 = "[E016] {path}: no such file or folder."
    E017 = "[E017] {path}: unsupported file type '{suffix}' (use .txt, .html, .htm, .jsonl, .json, .xml/.rss/.atom); skipped."
    E018 = "[E018] {path}: could not be read ({why}); skipped."
    E021 = "[E021] {url}: could not be read ({why})."
    E019 = "[E019] {path}: the page holds no readable article text; skipped."
    E024 = ("[E024] {path}: no report files in this folder (.txt, .html, .htm, .jsonl, .json, "
            ".xml/.rss/.atom); nothing read.")
    W004 = "[W004] {path}: {n} {files} skipped, not a report file type ({which})."
    E020 = "[E020] Invalid date '{value}' for {what}: use YYYY-MM-DD."
    E022 = ("[E022] {path}: the report is {size} MB, over the {limit} MB limit for one report "
            "(--max-report-mb); skipped, the rest is read.")
    E023 = "[E023] {path}, line {line}: JSON nested too deeply to read; line skipped."
    W002 = "[W002] {path}, line {line}: '{field}' is not a string (got {kind}); ignored."
    W003 = ("[W003] {path}, line {line}: not UTF-8; this line read as {encoding}. Check its accented "
            "letters.")
    W001 = "[W001] {path}: not UTF-8; read as {encoding}. Check accented letters in the output."
    W010 = ("[W010] {id}: no publication date found (no published field, page metadata, header line "
            "or dated dateline), so {what}. Give the date with --published YYYY-MM-DD or a "
            "'published' field.")
    W011 = "[W011] {id}: the report's own date {date} (from {source}) was used, not --published {fallback}."
    W012 = ("[W012] {n} report(s) carried no publication date; their events are dated only from dates "
            "written in the text (--published YYYY-MM-DD gives one).")
    W310 = ("[W310] {id}: the report is in {language}, not English: {what}. Its actors, tolls and roles "
            "are not read; translate it into English for a full reading.")
    E030 = ("[E030] The spaCy model '{model}' is not installed. Install it with "
            "`pip install 'conflictatlas[ner]'`, or run with the rule-based entity stage "
            "(`--no-spacy`, the default).")
    E031 = "[E031] The optional dependency '{package}' is needed for {feature}: pip install 'conflictatlas[{extra}]'"
    E040 = "[E040] The gazetteer file {path} is missing or unreadable; rebuild it with `python -m conflictatlas.gazetteer.build`."
    E041 = ("[E041] {files}: not a GeoNames country dump (IQ.zip, IQ.txt) or a Who's On First extract "
            "(places_iq.tsv.gz): {why}")
    E042 = "[E042] {files}: no populated places (GeoNames feature class P) found; nothing added."
    E054 = "[E054] No event database at {db}: ingest reports first (`conflictatlas ingest REPORTS --db {db}`) or pass --db."
    E055 = "[E055] Cannot listen on {host}:{port}: {why}. Is another server running there? Pick another --port."
    E056 = ("[E056] No event database at {db}: ingest reports first (`conflictatlas ingest REPORTS --db {db}`), "
            "pass --db, or pass --create to serve a new, empty one (to fill over POST /ingest).")
    # the HTTP API (conflictatlas/api.py)
    E200 = "[E200] {what}: {why}"
    E201 = "[E201] No event with id {id}."
    E202 = "[E202] No article with id {id}."
    E203 = ("[E203] Ingesting is turned off because the server has no token. Start it with "
            "`conflictatlas serve --token SECRET` or set CONFLICTATLAS_TOKEN.")
    E204 = ("[E204] This endpoint needs the API token: send the header "
            "'Authorization: Bearer <token>'.")
    E205 = "[E205] The API token is wrong."
    E206 = ("[E206] Send JSON {{\"text\": ...}}, {{\"html\": ...}}, {{\"urls\": [...]}} or "
            "{{\"documents\": [...]}}, or a text/plain or text/html body. Got: {why}")
    E207 = "[E207] The request body is {size} MB, over the {limit} MB limit."
    E208 = "[E208] {url}: could not be fetched ({why})."
    E209 = "[E209] Unknown format '{fmt}'. Choose from: json, geojson, csv."
    E210 = "[E210] No route {method} {path}. See /openapi.json for the endpoints."
    E211 = "[E211] Internal error ({kind}); the server log has the details."
    E212 = ("[E212] No event database is set. Pass --db FILE to `conflictatlas serve` or set "
            "CONFLICTATLAS_DB.")
    E213 = "[E213] The event store failed: {why}"
    E214 = "[E214] At most {limit} URLs per request; got {n}."
    E215 = ("[E215] Reads are protected but the server has no token: set --token or "
            "CONFLICTATLAS_TOKEN.")
    E216 = ("[E216] The page is not built: run `npm ci && npm run build` in web/ (a pip install "
            "ships it built).")
    E217 = "[E217] The extraction pipeline could not be loaded: {why}"
    E218 = "[E218] from {date_from} is after to {date_to}."
    E219 = ("[E219] {url}: not fetched: it points at {address}, a loopback, private, link-local or "
            "otherwise internal address. Start the server with --allow-private-urls to fetch such "
            "addresses.")
    E220 = "[E220] Unknown parameter '{name}'. {path} takes: {known}."
    E221 = "[E221] '{old}' is the old name of '{new}': give one of them, not both."
    E222 = "[E222] {what} must be {kind}; got {got}."
    E060 = ("[E060] Actor dictionary '{path}' not found. Set [actors] dictionary to an existing JSONL "
            "file, or leave it empty for the shipped one.")
    E061 = "[E061] {path}:{line}: {why}"
    E062 = "[E062] {path}:{line}: type {type!r} of '{name}' is not one of ACLED's actor types: {types}."
    # watching sources and ingest in parallel (conflictatlas/watch.py, scale.py)
    W370 = "[W370] {source}: poll failed ({why}); failure {n} in a row, next try in {delay}. The other sources go on."
    E371 = "[E371] --every '{value}': give a positive number with s, m, h or d (30s, 15m, 2h, 1d)."
    E372 = "[E372] {file}: no sources in the feed list (one URL or folder per line; # starts a comment)."
    E373 = "[E373] Nothing to watch: give feed or page URLs, folders, or --feeds FILE."
    E374 = "[E374] {source}: not a feed or a page ({why})."
    E050 = "[E050] Database error at {db}: {why}"
    E051 = "[E051] No event with id {id}."
    E052 = "[E052] No article with id {id}."
    E053 = "[E053] Unknown export format '{fmt}'. Choose from: {choices}"


class ConflictAtlasError(Exception):
    """Base class for errors this library raises on purpose."""


class InputError(ConflictAtlasError):
    """A source could not be read; the message names the file (and line)."""
