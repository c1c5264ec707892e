"""clean: page furniture and boilerplate out of HTML and plain text.

Reads ``doc.text`` (raw HTML or text); writes the cleaned article text back to ``doc.text``
(``doc.raw`` keeps what was read; lines hard-wrapped at a width are joined into their paragraph,
see ``conflictatlas.hardwrap``), sets ``doc.title`` from the page when missing and
``doc.language`` (English by default; a cheap stop-word check marks Spanish, French, Portuguese
and other languages). The page's date, dateline and outlet are the ``article`` stage's job.
"""
from __future__ import annotations

import html as html_lib
import logging
import re

from ..document import Document
from ..hardwrap import unwrap
from ..pipeline import stage

# Lines that end the article: everything after them is page furniture.
_END_MARKERS = re.compile(
    r"^\s*(related (content|articles|posts|stories|news)|read more|more from|you may also like|"
    r"recommended|most read|latest news|trending|also read|see also|comments?|leave a reply|"
    r"share this (page|article|story)?:?|follow us|subscribe|newsletter|advertisement|"
    r"copyright|©|all rights reserved|tags?:)\s*:?\s*$", re.I)
# Single lines that are furniture but do not end the article.
_DROP_LINES = re.compile(
    r"^\s*(share( this)?( on)?( (facebook|twitter|x|whatsapp|email|linkedin))*|tweet|print|email|"
    r"advertisement|skip to (main )?content|cookie(s)? (policy|settings)|accept( all)?( cookies)?|"
    r"sign in|log in|menu|home|search)\s*:?\s*$", re.I)
_WS = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_ACLED_TAIL = re.compile(r"\s*\[size=[^\]]*\]\s*$")

_EN_STOP = {"the", "and", "of", "in", "to", "was", "were", "a", "on", "by", "for", "with", "said"}
#: words frequent in one of a few other languages of conflict news and rare in English text
_OTHER_STOP = {
    "es": {"el", "los", "las", "del", "que", "por", "para", "una", "con", "como", "fue", "según", "sus", "y"},
    "fr": {"le", "les", "des", "du", "une", "est", "dans", "pour", "avec", "qui", "sur", "selon", "et", "été"},
    "pt": {"os", "das", "dos", "uma", "com", "para", "pela", "pelo", "foi", "não", "segundo", "em", "e", "que"},
}


_BLOCK_TAGS = frozenset("p div br li h1 h2 h3 h4 h5 h6 tr td th article section blockquote pre".split())
_SKIP_TAGS = frozenset("script style noscript template svg head".split())


def plain_text_from_html(raw: str) -> str:
    """Every text node of a page outside scripts and styles, a paragraph per block: the standard
    library's streaming parser, which has no depth limit (libxml2, under trafilatura and lxml,
    gives up on pages nested 255 levels deep and returns nothing)."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in _SKIP_TAGS:
                self.skip += 1
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n\n")

        def handle_endtag(self, tag):
            if tag in _SKIP_TAGS:
                self.skip = max(0, self.skip - 1)
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n\n")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n\s*(?:\n\s*)*", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def html_to_text(raw: str) -> tuple[str, str | None]:
    """Main text and title of an HTML page; trafilatura when installed, else lxml; when both
    give nothing (a page nested past their parser's depth), every text node of the page."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    title = None
    m = re.search(r"<title[^>]*>(.*?)</title>", raw, re.I | re.S)
    if m:
        title = html_lib.unescape(re.sub(r"\s+", " ", m.group(1))).strip() or None
    text = None
    try:
        import trafilatura
        text = trafilatura.extract(raw, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=True)
    except Exception:  # trafilatura missing or the page broke it: fall back below
        text = None
    if not text:
        try:
            import lxml.html
            tree = lxml.html.fromstring(raw)
            for bad in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript"):
                bad.drop_tree()
            paras = [p.text_content().strip() for p in tree.xpath("//p|//h1|//h2|//li")]
            text = "\n\n".join(p for p in paras if p) or tree.text_content()
        except Exception:
            text = None
    if not (text or "").strip():
        text = plain_text_from_html(raw)
    return text or "", title


def strip_furniture(text: str) -> str:
    """Drop share buttons, 'Related content' and what follows, collapse spaces."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _END_MARKERS.match(line) and len(out) > 0:
            break
        if _DROP_LINES.match(line):
            continue
        out.append(_WS.sub(" ", line).strip())
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return _ACLED_TAIL.sub("", text)


def guess_language(text: str) -> str:
    """"en", else "es", "fr" or "pt" when that language's common words are frequent, else "other"
    ("und" for a text with no words)."""
    words = re.findall(r"[a-z\u00e0-\u00ff]+", text[:2000].lower())
    if not words:
        return "und"
    share = sum(w in _EN_STOP for w in words) / len(words)
    if len(words) < 15:
        return "en"
    shares = {lang: sum(w in stop for w in words) / len(words) for lang, stop in _OTHER_STOP.items()}
    best = max(shares, key=shares.get)
    if shares[best] >= 0.1 and shares[best] > share:
        return best
    return "en" if share >= 0.06 else "other"


@stage("clean", requires=("text",), assigns=("clean",))
def make_clean(config):
    """Strip HTML and page furniture; set title and language."""

    def clean(doc: Document) -> Document:
        text = doc.text
        if re.search(r"<(!doctype|html|body|div|p|article|br|span|a|h[1-6])\b", text[:5000], re.I):
            doc.meta["format"] = "html"          # the article stage reads the page's metadata
            text, title = html_to_text(text)
            doc.title = doc.title or title
        doc.text, wrap = unwrap(strip_furniture(text))
        if wrap:
            doc.meta["hard_wrap"] = wrap         # lines joined: a paragraph broken at a width
        doc.language = doc.language or guess_language(doc.text)
        return doc

    return clean
