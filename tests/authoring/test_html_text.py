"""The fast reading of Anki's field HTML gives exactly what HTMLParser's reading gives."""

from __future__ import annotations

import random

import pytest

from quiz.anki import html_text
from quiz.anki.html_text import Reduced, reduce_html


def by_html_parser(html: str) -> Reduced:
    """The reference: every field through the standard library's HTMLParser."""
    text = html_text._Text()
    parser = html_text._Parser(text)
    parser.feed(html)
    parser.close()
    return html_text._tidy("".join(text.parts), text.media)


# (name, field, whether the fast path reads it)
CASES = [
    ("plain", "Mitral and tricuspid valves", True),
    ("bold and break", "What is the <b>first</b> heart sound?<br>S1", True),
    ("entities", "Rate &gt; 100/min &amp; &lt;60 &nbsp;x&#10;y &#x41; &unknown; &amp", True),
    ("attributes", '<div class=n id="a" data-x=\'q\' hidden><img src="heart.png"></div>', True),
    ("entity in an attribute", '<a href="a?b=1&amp;c=2">link</a>', True),
    ("empty attribute", '<img src="">', True),
    ("self-closing", "a<br/>b<br />c<img src=x.png/>", True),
    ("upper case", '<B>bold</B><IMG SRC="Up.PNG"><OL TYPE="A"><LI>x</LI></OL>', True),
    ("lists", "<ul><li>one</li><li>two</li></ul><ol type=a><li>x<li>y</ol>", True),
    ("styled span", '<span style="color: rgb(255, 0, 0);">red</span> &gt; blue', True),
    ("spaces in a tag", '<a  href = "x" >y</a ><b\n>z</b>', True),
    ("quote inside quotes", '<img alt="it\'s" src=\'a "b"\'>', True),
    ("sound", "[sound:beat.mp3] S1", True),
    ("stray less-than", "a < b and <- c", False),
    ("comment", "a<!-- hidden -->b", False),
    ("script", "<script>var x = '<b>';</script>shown", False),
    ("style", "<style>b { color: red }</style>text", False),
    ("title", "<title>&lt;x&gt;</title>t", False),
    ("declaration", "<!DOCTYPE html><p>x</p>", False),
    ("processing instruction", "<?xml version='1.0'?>x", False),
    ("unclosed tag", "a <b class='x' unfinished", False),
    ("greater-than in a quoted value", '<a title="a>b">x</a>', False),
    ("dashed tag", "<my-tag>x</my-tag>", False),
    ("no-break space in a tag", "<b\xa0class=x>y</b>", False),
    ("vertical tab in a tag", "<b\vclass=x>y</b>", False),
    ("end tag with a space", "x</ b>y", False),
    ("double equals", "<a href==x>y</a>", False),
    ("cdata", "<![CDATA[x<y]]>z", False),
]


@pytest.mark.parametrize(("name", "html", "fast"), CASES, ids=[case[0] for case in CASES])
def test_each_case_reads_as_html_parser_reads_it(name: str, html: str, fast: bool) -> None:
    assert reduce_html(html) == by_html_parser(html)
    assert (html_text._read_simple(html) is not None) is fast


PIECES = [
    "<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<br>", "<br/>", "<div>", "</div>", "<p>",
    "</p>", "<ul>", "</ul>", "<ol>", '<ol type="A">', "</ol>", "<li>", "</li>", "&nbsp;",
    "&amp;", "&gt;", "&lt;", "&#8594;", "&#x3b1;", "&", "&amp", " ", "\n", "  ", "\t", "x",
    "Heart", "rate", "{{c1::S1::sound}}", '<img src="fig.png">', "<img src='a b.jpg'/>",
    '<a href="https://x.org/?a=1&amp;b=2">', '<a href="#top">', "</a>", "<span style=x>",
    "</span>", "[sound:a.mp3]", "**", "<", ">", "<!-- c -->", "<script>", "</script>",
    "<h1>", "</h1>", "<hr>", "<table>", "<tr>", "<td>", "\xa0", "é",
]  # fmt: skip


def test_random_fields_read_as_html_parser_reads_them() -> None:
    """Fields made of HTML pieces at random, fast path or not, give HTMLParser's result."""
    rng = random.Random(15)
    fast = 0
    for _ in range(3000):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        assert reduce_html(html) == by_html_parser(html), html
        fast += html_text._read_simple(html) is not None
    assert fast > 300  # the fast path is taken on a good share of them
