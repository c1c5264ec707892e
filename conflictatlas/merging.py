"""Merge decisions over the event database: which event a new report joins, which events it
merges, where a report with a vague place belongs, and what each event then holds.

:mod:`conflictatlas.merge` holds the rules (compare two reports, aggregate an event's fields),
free of any database. :class:`Merger` applies them to what is stored, through the persistence
layer (:mod:`conflictatlas.storage`: statements by name, the same on every dialect), and is the
only code that writes events, claims, history and aliases. The store
(:class:`conflictatlas.store.Store`) calls it inside each article's write transaction.
"""
from __future__ import annotations

import functools
import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from .event import ACLED_FIELDS
from .merge import EventSummary, Report, compare_memo, summarize
from .storage import Database

#: the reports read and parsed, kept between articles (cleared beyond this many)
CACHE_SIZE = 200_000
#: the event summaries kept between articles (the oldest dropped beyond this many)
SUMMARIES = 5_000


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def iso(d: Any) -> str | None:
    if d is None:
        return None
    return d.isoformat() if isinstance(d, date) else str(d)


def json_value(v: Any) -> str:
    """A claim's value as stored (JSON); a plain int, the common case, without the encoder."""
    return str(v) if type(v) is int else json.dumps(v, ensure_ascii=False, default=str)


@functools.lru_cache(maxsize=1 << 16)
def _descending(key: str) -> tuple[int, ...]:
    """A sort key under which the smaller string ranks higher (ties go to the first report)."""
    return tuple(-ord(ch) for ch in key)


def rev_text(rev: int) -> str:
    """An event's revision as stored: the XOR of its reports' key bits, in hex."""
    return f"{rev:016x}"


def _canonical(v: Any) -> Any:
    if isinstance(v, frozenset):
        return sorted(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)
    return v


def signature_text(r: Report) -> str:
    """A stable name for everything the merge rules read of a report but its key and article
    (:attr:`Report.signature`): reports of one kind compare alike."""
    text = json.dumps([_canonical(v) for v in r.signature], ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _kinds_never_one(x, y, memo: dict) -> bool:
    """Can some report of kind ``x`` never be one event with some report of kind ``y``? Each kind
    is (first, last) by key, of other articles than the other kind's; a vague report never vetoes."""
    (xlo, xhi), (ylo, yhi) = x, y
    if xlo.vague or ylo.vague:
        return False
    if xlo.key < yhi.key and compare_memo(xlo, yhi, memo).cannot:
        return True
    return xhi.key > ylo.key and compare_memo(xhi, ylo, memo).cannot


def event_id_of(reports: list[Report]) -> str:
    """An event's id: from its first report's key, the same for the same reports in any order."""
    return "CA-" + hashlib.sha1(min(x.key for x in reports).encode()).hexdigest()[:12]


#: the lock every article's transaction holds shared, and whatever works across windows (tying
#: vague reports, the search index, a report with no country) exclusively
ALL_WINDOWS = "all merge windows"


def merge_locks(reports: list[Report]) -> tuple[list[str], list[str]]:
    """The locks an article's transaction holds with several writers: (exclusive, shared). The
    part of the database a report's merge reads and writes is its country's window (a report
    reads only its own country's and country-less reports); a report with no country reads
    every window, so its article holds them all."""
    if any(not r.country for r in reports):
        return [ALL_WINDOWS], []
    return sorted({f"country:{r.country}" for r in reports}), [ALL_WINDOWS]


class Merger:
    """Places reports in events and ties vague reports, on one :class:`Database`."""

    def __init__(self, db: Database):
        self.db = db
        self.cache: dict[str, Report] = {}
        self.summaries: dict[str, EventSummary] = {}
        self.kinds: dict[str, tuple[str, str]] = {}
        self.net = 0        # events added minus events removed in the open transaction

    def forget(self) -> None:
        """Drop what is kept between transactions (after a rollback)."""
        self.cache.clear()
        self.summaries.clear()

    def _keep(self, event_id: str, summary: EventSummary) -> None:
        self.summaries.pop(event_id, None)
        self.summaries[event_id] = summary
        if len(self.summaries) > SUMMARIES:
            self.summaries.pop(next(iter(self.summaries)))

    # -- reading reports ------------------------------------------------------------------------------
    def report(self, row) -> Report:
        """The report of an ``event_sources`` row (parsed once, then cached)."""
        rep = self.cache.get(row["report_key"])
        if rep is None:
            if len(self.cache) > CACHE_SIZE:
                self.cache.clear()
            rep = Report.build(row["report_key"], row["article_id"], json.loads(row["data"]),
                               row["published"], row["outlet"])
            self.cache[row["report_key"]] = rep
        rep.event_id = row["event_id"]  # type: ignore[attr-defined]
        return rep

    def _reports_of(self, rows) -> list[Report]:
        out, seen = [], set()
        for key, eid in rows:
            if key in seen:
                continue
            seen.add(key)
            rep = self.cache.get(key)
            if rep is None:
                rep = self.report(self.db.one("source_row", (key,)))
            rep.event_id = eid  # type: ignore[attr-defined]
            out.append(rep)
        return out

    def candidates(self, r: Report) -> list[Report]:
        """The stored reports ``r`` may tell the same event as: its article's, and those of its
        country (or none) whose dates come near; a report with no country reads every country's
        (it may join any, as any may join it: the outcome must not depend on which came first).

        Reports of one event alike in everything the merge rules read (one signature) compare
        alike with ``r``: of each such kind only the first report before and the first after
        ``r``'s key are read (what the rules' ties look at), so a thousand retellings cost a
        few reads. :attr:`kinds` maps each returned key to its (event id, signature)."""
        rows = list(self.db.run("same_article", (r.article_id,)))
        out = self._reports_of(rows)
        seen = {x.key for x in out}
        self.kinds: dict[str, tuple[str, str]] = {}
        if not r.date_lo:
            return out
        lo = (r.date_lo - timedelta(days=62)).isoformat()
        hi = (r.date_hi + timedelta(days=2)).isoformat()
        low_edge = (r.date_lo - timedelta(days=2)).isoformat()
        if r.country:
            kinds = self.db.run("window_kinds", (r.country, lo, hi, low_edge))
        else:
            kinds = self.db.run("window_any_kinds", (lo, hi, low_edge))
        for eid, g in list(kinds):
            first = self.db.one("kind_first", (eid, g, r.article_id))[0]
            if first is None:
                continue
            after = self.db.one("kind_first_after", (eid, g, r.article_id, r.key))[0] if first < r.key else None
            for key in (first, after):
                if key and key not in seen:
                    seen.add(key)
                    out.append(self._one(key, eid))
                    self.kinds[key] = (eid, g)
        return out

    def _one(self, key: str, event_id: str) -> Report:
        rep = self.cache.get(key)
        if rep is None:
            rep = self.report(self.db.one("source_row", (key,)))
        rep.event_id = event_id  # type: ignore[attr-defined]
        return rep

    def event_reports(self, event_id: str) -> list[Report]:
        """Every report of an event."""
        return self._reports_of(self.db.run("event_report_keys", (event_id,)))

    def event_kinds(self, event_id: str) -> list[tuple[str, Report, Report]]:
        """An event's reports by kind (signature): (signature, first report, last report)."""
        out = []
        for (g,) in list(self.db.run("event_kinds", (event_id,))):
            lo, hi = self.db.one("kind_ends", (event_id, g))
            if lo is not None:
                out.append((g, self._one(lo, event_id), self._one(hi, event_id)))
        return out

    def _mark_kind(self, event_id: str, g: str, not_article: str, keep=lambda key: True) -> None:
        """Mark for a vague-place check every report of one kind in an event (but ``not_article``'s)."""
        for (key,) in list(self.db.run("group_keys", (event_id, g, not_article))):
            if keep(key):
                self.db.run("vague_mark", (key,))

    # -- placing a new report ---------------------------------------------------------------------------
    def place(self, r: Report) -> tuple[str, bool]:
        """Put report ``r`` in an event (merging the events it joins); returns (event id, new?).

        Only strong links join here: two reports with specific places, or two reports of one
        article. A report with a vague place (a region, none) starts alone and is tied to the
        event it alone matches by :meth:`reconcile_vague` at the end of the ingest."""
        memo: dict = {}
        linked = self._linked_events(r, memo)
        if self.db.concurrent:
            linked = self._lock_shared_events(r, linked, memo)
        chosen, kinds = self._joinable(r, linked, memo)
        for eid, g, first, _ in kinds:      # ties of vague reports to the joined events are checked again
            if first.vague:
                self._mark_kind(eid, g, "")
        if r.vague:
            self.mark_vague(r)
        if chosen:
            best = chosen[0]
            reason = f"joined {best[3].key.split(':')[0]} ({best[3].outlet or '?'}): {best[4].why()}"
        else:
            reason = "first report of this event"
        new_id = event_id_of([r] + [first for _, _, first, _ in kinds])
        self._insert_source(r, reason, new_id)
        old_ids = [c[2] for c in chosen]
        old_rows = {eid: self.db.one("event_row", (eid,)) for eid in old_ids}
        r.event_id = new_id  # type: ignore[attr-defined]
        self.cache[r.key] = r
        summary = self._summary_for_adding(new_id, old_ids, old_rows)
        if summary is not None:                 # joins one event, whose id stays: add r to its summary
            summary.add(r)
            self._write_event(new_id, summary, r, old_rows, reason, chosen, added=True)
            return new_id, False
        reports = [r]
        for eid in old_ids:
            reports += [x for x in self.event_reports(eid) if x.key != r.key]
            if eid != new_id:
                self.retire(eid, new_id)
        self.summaries.pop(new_id, None)
        self._write_event(new_id, summarize(reports), r, old_rows, reason, chosen)
        return new_id, not chosen

    def _summary_for_adding(self, new_id: str, old_ids: list[str], old_rows: dict) -> EventSummary | None:
        """The kept summary of the one event a report joins, when it is still that event's (its
        revision is the stored one) and the event keeps its id; else None."""
        if len(old_ids) != 1 or old_ids[0] != new_id:
            return None
        s = self.summaries.get(new_id)
        row = old_rows.get(new_id)
        if s is None or row is None or row["rev"] != rev_text(s.rev) or row["n_sources"] != s.n:
            return None
        return s

    def _linked_events(self, r: Report, memo: dict) -> list[tuple]:
        """The events ``r`` strongly matches and none of whose reports rule it out, best first:
        (score, first key, event id, best report, match)."""
        by_event: dict[str, list[tuple[Report, Any]]] = {}
        for c in self.candidates(r):
            m = compare_memo(r, c, memo)
            by_event.setdefault(c.event_id, []).append((c, m))
            if m.same and m.weak:
                if r.vague:
                    self.mark_vague(r)
                if c.vague:
                    self._mark_candidate(r, c)
        linked = []
        for eid, pairs in by_event.items():
            if any(m.cannot for c, m in pairs if not c.vague or c.article_id == r.article_id):
                continue
            good = [(m.score, c.key, c, m) for c, m in pairs if m.same and not m.weak]
            if good:
                best = max(good, key=lambda t: (t[0], _descending(t[1])))
                linked.append((best[0], min(c.key for c, _ in pairs), eid, best[2], best[3]))
        linked.sort(key=lambda t: (-t[0], t[1]))
        return linked

    def _mark_candidate(self, r: Report, c: Report) -> None:
        """Mark a vague candidate, and every report of its kind on the same side of ``r``'s key."""
        kind = self.kinds.get(c.key)
        if kind is None:
            self.mark_vague(c)
            return
        below = c.key < r.key
        self._mark_kind(kind[0], kind[1], r.article_id, lambda key: (key < r.key) == below)

    def _lock_shared_events(self, r: Report, linked: list[tuple], memo: dict) -> list[tuple]:
        """With several writers: the window lock covers events of ``r``'s country; an event that
        also holds a report with no country may be joined from another country's window, so it
        is locked by id and the links read again, until every such event ``r`` links to is held."""
        held: set[str] = set()
        while True:
            risky = sorted(item[2] for item in linked if item[2] not in held
                           and self.db.one("event_has_countryless", (item[2],)))
            if not risky:
                return linked
            self.db.lock(f"event:{e}" for e in risky)
            held.update(risky)
            linked = self._linked_events(r, memo)

    def _joinable(self, r: Report, linked: list[tuple], memo: dict) -> tuple[list[tuple], list[tuple]]:
        """The linked events ``r`` joins: each in turn, unless one of its reports can never be one
        event with a report already chosen (a vague report of another article does not veto).
        Returns them and the kinds of report they hold: (event id, signature, first, last)."""
        chosen: list[tuple] = []
        kinds: list[tuple] = []
        mine = [(r, r)]
        for item in linked:
            eid = item[2]
            theirs = self.event_kinds(eid)
            if any(self.db.one("events_share_article", (eid, c[2])) for c in chosen):
                continue                        # two reports of one article: never one event
            if any(_kinds_never_one(x, y, memo) for _, *x in theirs for y in mine):
                continue
            chosen.append(item)
            mine += [(first, last) for _, first, last in theirs]
            kinds += [(eid, g, first, last) for g, first, last in theirs]
        return chosen, kinds

    def _insert_source(self, r: Report, reason: str, event_id: str) -> None:
        data = r.data
        self.db.run("insert_source", (
            r.key, event_id, r.article_id, int(r.key.rsplit(":", 1)[1]), iso(r.published), r.outlet,
            r.event_type, r.country, iso(r.date_lo), iso(r.date_hi),
            json.dumps(data, ensure_ascii=False, default=str), data.get("notes") or "", reason, signature_text(r)))
        self.db.run("kind_add", (event_id, signature_text(r), r.country, iso(r.date_lo), iso(r.date_hi)))

    def _move_all(self, new: str, old: str) -> None:
        """Every report of event ``old`` now belongs to ``new``."""
        self.db.run("move_sources", (new, old))
        self.db.run("kinds_move", (new, old))
        self.db.run("kinds_drop", (old,))

    def _move_one(self, key: str, row, new: str, reason: str) -> None:
        """One report (its ``event_sources`` row) now belongs to ``new``."""
        db = self.db
        db.run("move_one_source", (new, reason, key))
        db.run("kind_sub", (row["event_id"], row["sig"]))
        db.run("kind_empty", (row["event_id"], row["sig"]))
        w = self.cache.get(key) or self.report(row)
        db.run("kind_add", (new, row["sig"], w.country, iso(w.date_lo), iso(w.date_hi)))

    def mark_vague(self, x: Report) -> None:
        self.db.run("vague_mark", (x.key,))

    # -- tying vague reports ------------------------------------------------------------------------------
    def reconcile_vague(self, batch: int = 2000, rep: Any = None) -> int:
        """Tie each pending report with a vague place (a province, none) to the one event with
        specific places it matches; when it matches none or several, it stays apart (grouped with
        other vague reports it matches). Runs in its own transactions (holding every merge window:
        a vague report may move between countries' events); the result depends only on what is
        stored, not on the order of arrival. Returns how many reports moved (and adds the events it
        made or merged away to ``rep.events_created``)."""
        moved = 0
        while True:
            try:
                with self.db.write(locks=[ALL_WINDOWS]):
                    self.net = 0
                    keys = [row[0] for row in self.db.run("vague_pending", (batch,))]
                    for key in keys:
                        moved += self._reconcile_one(key)
                        self.db.run("vague_done", (key,))
            except BaseException:
                self.forget()
                raise
            if rep is not None:
                rep.events_created += self.net
            if len(keys) < batch:
                return moved

    def _reconcile_one(self, key: str) -> int:
        row = self.db.one("source_row", (key,))
        if row is None:
            return 0
        w = self.report(row)
        home = w.event_id
        members = [x for x in self.event_reports(home) if x.key != w.key]
        specific, vague_homes = self._vague_matches(w)
        home_specific = any(not x.vague for x in members)
        if len(specific) == 1:
            target = next(iter(specific))
            why = specific[target]
        elif members and not home_specific:
            return 0                                   # apart, with vague reports it matches
        elif vague_homes:
            target = min(vague_homes, key=lambda e: (self._canonical(e), e))
            why = vague_homes[target]
        else:
            target, why = None, None
        if target == home or (target is None and not members):
            return 0
        if why is not None:
            reason = f"joined {why[2].key.split(':')[0]} ({why[2].outlet or '?'}): {why[3].why()}"
        elif len(specific) > 1:
            reason = f"apart: its place is vague and it matches {len(specific)} events"
        else:
            reason = "first report of this event"
        self._move_vague(w, row, members, target, reason)
        return 1

    def _vague_matches(self, w: Report) -> tuple[dict[str, tuple], dict[str, tuple]]:
        """The events a vague report matches: those with a specific report, and those of vague
        reports only (event id -> best (score, key, report, match))."""
        specific: dict[str, tuple] = {}
        vague_homes: dict[str, tuple] = {}
        groups: dict[str, list[Report]] = {}
        for c in self.candidates(w):
            if c.key != w.key:
                groups.setdefault(c.event_id, []).append(c)
        memo: dict = {}
        for eid, cs in groups.items():
            ms = [(c, compare_memo(w, c, memo)) for c in cs]
            if any(m.cannot for c, m in ms if not c.vague or c.article_id == w.article_id):
                continue
            good = [(m.score, c.key, c, m) for c, m in ms if m.same]
            if not good:
                continue
            best = max(good, key=lambda t: (t[0], _descending(t[1])))
            if any(not c.vague for _, _, c, _ in good):
                specific[eid] = best
            elif all(x.vague for x in self.event_reports(eid)):
                vague_homes[eid] = best
        return specific, vague_homes

    def _move_vague(self, w: Report, row, members: list[Report], target: str | None, reason: str) -> None:
        key, home = w.key, row["event_id"]
        self._move_one(key, row, "pending", reason)
        now = now_iso()
        if members:
            left = self._rewrite(home, members, w.article_id)
            self.db.run("insert_history", (left, w.article_id, "detached",
                                           json.dumps({"report": key, "why": reason}), now))
        if target is None:
            new = self._rewrite(None, [w], w.article_id, pending=True)
            action = "created"
        else:
            new = self._rewrite(target, self.event_reports(target) + [w], w.article_id, pending=True)
            action = "source_added"
        if home and not members and home != new:
            self.retire(home, new)
        self.db.run("insert_history", (new, w.article_id, action, json.dumps({"report": key, "why": reason}), now))

    def _canonical(self, eid: str) -> str:
        row = self.db.one("canonical_key", (eid,))
        return row[0] if row else ""

    # -- writing events ------------------------------------------------------------------------------------
    def retire(self, old: str, new: str) -> None:
        """Event ``old`` is now (part of) ``new``: move its sources, history and aliases, keep its
        id as an alias."""
        if old == new:
            return
        self.summaries.pop(old, None)
        db = self.db
        self._move_all(new, old)
        db.run("move_history", (new, old))
        db.run("move_aliases", (new, old))
        db.run("insert_alias", (old, new))
        self.net -= db.run("delete_event", (old,)).rowcount
        db.run("delete_claims", (old,))
        if db.fts:
            db.run("fts_mark", (old,))

    def _rewrite(self, old: str | None, reports: list[Report], article_id: str, pending: bool = False) -> str:
        """Rebuild an event from ``reports`` (renaming it when its first report changed)."""
        new = event_id_of(reports)
        prev = self.db.one("event_row", (old,)) if old else None
        if old and old != new:
            self.retire(old, new)
        if pending:
            self._move_all(new, "pending")
        for x in reports:
            x.event_id = new  # type: ignore[attr-defined]
        now = now_iso()
        fields = self._put_event_row(new, summarize(reports), prev["created_at"] if prev else now, now)
        if prev is not None:
            self._history_revised(new, article_id, prev, fields, now)
        return new

    def _put_event_row(self, eid: str, summary: EventSummary, created_at: str, now: str, prev=None) -> dict:
        """Write the event row and its claims from its summary; returns the fields. With ``prev``
        (the row before the summary's last report was added) only that report's claims are
        written, and the chosen figure marked again when it changed."""
        fields, why = summary.fields()
        n_articles = len(summary.articles)
        explanation = why + [f"{summary.n} report(s) from {n_articles} article(s)"]
        db = self.db
        self.net -= db.run("delete_event", (eid,)).rowcount - 1     # +1: written below
        cols = ["id", "canonical_key", *ACLED_FIELDS, "date_lo", "date_hi", "confidence", "notes",
                "n_sources", "n_articles", "explanation", "created_at", "updated_at", "rev"]
        vals = [eid, summary.first_key, *[fields.get(f) for f in ACLED_FIELDS], iso(summary.dlo), iso(summary.dhi),
                fields["confidence"], fields["notes"], summary.n, n_articles,
                json.dumps(explanation, ensure_ascii=False), created_at, now, rev_text(summary.rev)]
        db.execute(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals)
        fat = fields["fatalities"]
        if prev is None or summary.told_began:
            db.run("delete_claims", (eid,))
            claims = summary.claims(fat)
        else:
            if prev["fatalities"] != fat:
                db.run("choose_claims", (json_value(fat) if fat is not None else None, eid))
            claims = summary.last_claims(fat)
        db.executemany(db.sql["insert_claim"], [(
            eid, c["report"], c["article_id"], c["field"], json_value(c["value"]),
            c["said_by"], c["sentence"], int(bool(c["chosen"])), int(bool(c["credible"])),
            int(bool(c["revision"])), c["published"]) for c in claims])
        if db.fts:
            db.run("fts_mark", (eid,))
        self._keep(eid, summary)
        return fields

    def _history_revised(self, eid: str, article_id: str, prev, fields: dict, now: str) -> None:
        for f in ACLED_FIELDS:
            old, new = prev[f], fields.get(f)
            if old != new and not (old in (None, "") and new in (None, "")):
                self.db.run("insert_history", (
                    eid, article_id, "revised",
                    json.dumps({"field": f, "old": old, "new": new}, ensure_ascii=False, default=str), now))

    def _write_event(self, eid: str, summary: EventSummary, r: Report, old_rows: dict, reason: str,
                     chosen: list, added: bool = False) -> None:
        prev = old_rows.get(eid) or (next(iter(old_rows.values())) if old_rows else None)
        now = now_iso()
        created_at = min((row["created_at"] for row in old_rows.values() if row), default=now)
        fields = self._put_event_row(eid, summary, created_at, now, prev if added else None)
        hist = self.db.run
        if not chosen:
            hist("insert_history", (eid, r.article_id, "created",
                                    json.dumps({"report": r.key, "why": reason}, ensure_ascii=False), now))
            return
        hist("insert_history", (eid, r.article_id, "source_added",
                                json.dumps({"report": r.key, "why": reason}, ensure_ascii=False), now))
        for item in chosen:
            if item[2] != eid:
                hist("insert_history", (eid, r.article_id, "merged",
                                        json.dumps({"from": item[2], "why": item[4].why()}, ensure_ascii=False), now))
        if prev is not None:
            self._history_revised(eid, r.article_id, prev, fields, now)
