"""What a published site carries, on real builds: canonical and hreflang links, OpenGraph tags
and a description, one viewport tag, a favicon, a 404 page that works at any depth, sitemaps and
robots.txt.

The per-page tags are tested on the small root ``tests/roots/test-published`` (the site's
templates and extensions under a base URL with a path); the whole site (the ``site`` fixture of
``tests/conftest.py``, marked ``site``) for the root files, both 404 pages, the sitemaps and the
tags of every page.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import site_file, site_tool
from sphinx.errors import ConfigError

from abp.published import DOCUTILS_VIEWPORT, base_url

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://example.org/books/"  # tests/roots/test-published, normalised
LANGUAGES = {"en": "en", "zh_CN": "zh-CN"}
#: Pages that Sphinx generates, without a text of their own: no OpenGraph tags, not in sitemaps.
GENERATED = {"search.html", "genindex.html"}
NOT_IN_SITEMAP = GENERATED | {"404.html"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def head_tags(page: BeautifulSoup) -> dict[str, list]:
    head = page.head
    return {
        "canonical": head.select('link[rel="canonical"]'),
        "viewport": page.select('meta[name="viewport"]'),
        "description": head.select('meta[name="description"]'),
        "alternates": head.select('link[rel="alternate"][hreflang]'),
        "icon": head.select('link[rel~="icon"]'),
        **{
            prop: head.select(f'meta[property="{prop}"]')
            for prop in ("og:title", "og:url", "og:type", "og:site_name", "og:description")
        },
    }


def alternates_of(page: BeautifulSoup) -> dict[str, str]:
    links = head_tags(page)["alternates"]
    found = {link["hreflang"]: link["href"] for link in links}
    assert len(found) == len(links), "an hreflang given twice"
    return found


def html_pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html") if "_static" not in p.parts)


# -- the base URL and the upstream fault --------------------------------------------------------


def test_base_url_is_made_absolute_with_a_final_slash_or_refused():
    assert base_url("https://example.org/books") == BASE
    assert base_url(BASE) == BASE
    assert base_url("") == ""
    for bad in ("example.org/books", "ftp://example.org/", "https://example.org/?a=1", "/books/"):
        with pytest.raises(ConfigError, match="ABP_BASE_URL"):
            base_url(bad)


def test_docutils_still_adds_its_own_viewport_tag():
    """The fault abp.published works around (sphinx-doc/sphinx#11699): the HTML5 writer's meta
    tags hold a viewport tag, which Sphinx passes on to the theme, which writes its own."""
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from docutils.writers.html5_polyglot import HTMLTranslator, Writer

    document = new_document("test", get_default_settings(Writer))
    assert DOCUTILS_VIEWPORT in HTMLTranslator(document).meta


@pytest.mark.sphinx("html", testroot="cards")
def test_without_a_base_url_one_viewport_and_no_absolute_urls(built):
    for page in html_pages(Path(built.outdir)):
        tags = head_tags(soup(page))
        assert len(tags["viewport"]) == 1, page
        assert not tags["canonical"] and not tags["alternates"], page


# -- the tags of each page, on a small root -----------------------------------------------------


def check_page_tags(outdir: Path, lang: str, site_name: str) -> None:
    pages = {str(p.relative_to(outdir)): p for p in html_pages(outdir)}
    assert {"index.html", "sub/page.html", "hostile.html", "404.html"} <= set(pages)
    for name, path in pages.items():
        page = soup(path)
        tags = head_tags(page)
        url = f"{BASE}{lang}/{name}"
        assert [link["href"] for link in tags["canonical"]] == [url], name
        assert len(tags["viewport"]) == 1, name
        assert alternates_of(page) == {
            "en": f"{BASE}en/{name}",
            "zh-CN": f"{BASE}zh_CN/{name}",
            "x-default": BASE if name == "index.html" else f"{BASE}en/{name}",
        }, name
        if name in GENERATED:
            continue
        assert [t["content"] for t in tags["og:url"]] == [url], name
        assert [t["content"] for t in tags["og:type"]] == ["website"], name
        assert [t["content"] for t in tags["og:site_name"]] == [site_name], name
        assert len(tags["og:title"]) == 1 and tags["og:title"][0]["content"], name
        assert len(tags["description"]) == 1, name
        assert tags["description"][0]["content"] == tags["og:description"][0]["content"], name


@pytest.mark.sphinx("html", testroot="published")
def test_every_page_has_its_canonical_alternates_and_opengraph_tags(built):
    check_page_tags(Path(built.outdir), "en", "Published test")
    page = soup(Path(built.outdir) / "sub" / "page.html")
    description = head_tags(page)["description"][0]["content"]
    assert description.startswith("Its description is this first paragraph of text")


@pytest.mark.sphinx(
    "html", testroot="published", srcdir="published-zh", confoverrides={"language": "zh_CN"}
)
def test_a_translated_edition_has_its_own_folder_in_every_url(built):
    check_page_tags(Path(built.outdir), "zh_CN", "Published test")
    page = soup(Path(built.outdir) / "sub" / "page.html")
    assert page.html["lang"] == "zh-CN"


@pytest.mark.sphinx("html", testroot="published")
def test_markup_in_a_title_or_text_stays_text_in_the_tags(built):
    page = soup(Path(built.outdir) / "hostile.html")
    tags = head_tags(page)
    assert tags["og:title"][0]["content"] == 'A "><b>bold</b> title'
    assert '"><script>alert(1)</script> and & in' in tags["description"][0]["content"]
    assert not page.head.select("b, meta script, title b")
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]


def local_urls(page: BeautifulSoup) -> list[str]:
    """Every address the page loads or links to, but links to other sites and anchors."""
    found = [
        tag.get(attr)
        for tag in page.find_all(True)
        for attr in ("href", "src", "action")
        if tag.get(attr)
    ]
    return [url for url in found if not urlsplit(url).scheme and not url.startswith("#")]


@pytest.mark.sphinx("html", testroot="published")
def test_the_404_page_links_by_absolute_path(built):
    outdir = Path(built.outdir)
    page = soup(outdir / "404.html")
    urls = local_urls(page)
    other = [url for url in urls if not url.startswith("/books/en/")]
    assert other == ["/books/zh_CN/404.html"]  # the phone header's switcher: the other 404
    urls = [url for url in urls if url not in other]
    assert urls and all(url.startswith("/books/en/") for url in urls), urls
    body_links = [a["href"] for a in page.select("article a.reference")]
    assert body_links == ["/books/en/index.html", "/books/en/sub/page.html"]
    assert page.html["data-content_root"] == "/books/en/"
    for url in urls:  # each names a file of this build
        assert (outdir / urlsplit(url).path.removeprefix("/books/en/")).exists(), url


@pytest.mark.sphinx("html", testroot="published")
def test_the_sitemap_lists_each_page_once_with_its_alternates(built):
    tree = ElementTree.parse(Path(built.outdir) / "sitemap.xml")
    urls = tree.getroot().findall(f"{SITEMAP}url")
    locs = [url.findtext(f"{SITEMAP}loc") for url in urls]
    names = ["index.html", "sub/page.html", "hostile.html"]
    assert sorted(locs) == sorted(f"{BASE}en/{name}" for name in names)
    for url, loc in zip(urls, locs, strict=True):
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        name = loc.removeprefix(f"{BASE}en/")
        assert links == {"en": loc, "zh-CN": f"{BASE}zh_CN/{name}"}


# -- the whole site -----------------------------------------------------------------------------


def site_pages(site: Path) -> dict[str, list[str]]:
    """Each edition's HTML pages, as paths inside its folder."""
    return {
        lang: [str(p.relative_to(site / lang)) for p in html_pages(site / lang)]
        for lang in LANGUAGES
    }


def assert_exists(site: Path, url: str, what: object) -> Path:
    path = site_file(site, url)
    assert path.is_file(), (what, url)
    return path


@pytest.mark.site
def test_every_page_of_the_site_has_what_a_published_page_has(site):
    base = site_tool().site_base_url()
    favicon = site / "en" / "_static" / "favicon.svg"
    for lang, names in site_pages(site).items():
        for name in names:
            path = site / lang / name
            page = soup(path)
            tags = head_tags(page)
            url = f"{base}{lang}/{name}"
            assert [link["href"] for link in tags["canonical"]] == [url], path
            assert len(tags["viewport"]) == 1, path
            alternates = alternates_of(page)
            assert set(alternates) == {"en", "zh-CN", "x-default"}, path
            assert alternates["en"] == f"{base}en/{name}", path
            assert alternates["zh-CN"] == f"{base}zh_CN/{name}", path
            for href in alternates.values():
                assert_exists(site, href, path)
            assert len(tags["icon"]) == 1, path
            href = tags["icon"][0]["href"]  # the 404 page's: an absolute path
            icon = site_file(site, href) if href.startswith("/") else path.parent / href
            assert icon.resolve() == (site / lang / "_static" / "favicon.svg").resolve(), path
            if name in GENERATED:
                continue
            assert [t["content"] for t in tags["og:url"]] == [url], path
            assert [t["content"] for t in tags["og:type"]] == ["website"], path
            for prop in ("og:title", "og:site_name", "description"):
                assert len(tags[prop]) == 1 and tags[prop][0]["content"].strip(), (path, prop)
    assert ElementTree.parse(favicon).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert (site / "zh_CN" / "_static" / "favicon.svg").read_bytes() == favicon.read_bytes()


@pytest.mark.site
def test_the_chinese_pages_describe_themselves_in_chinese(site):
    page = soup(site / "zh_CN" / "papers" / "compression.html")
    description = head_tags(page)["description"][0]["content"]
    assert re.search(r"[\u4e00-\u9fff]", description), description


@pytest.mark.site
def test_the_root_chooser_has_alternates_and_the_favicon(site):
    base = site_tool().site_base_url()
    page = soup(site / "index.html")
    assert alternates_of(page) == {
        "en": f"{base}en/index.html",
        "zh-CN": f"{base}zh_CN/index.html",
        "x-default": base,
    }
    assert [link["href"] for link in head_tags(page)["canonical"]] == [base]
    assert (site / head_tags(page)["icon"][0]["href"]).is_file()


@pytest.mark.site
@pytest.mark.parametrize(("lang", "heading"), [("en", "Page not found"), ("zh_CN", "页面未找到")])
def test_each_edition_has_a_404_page_in_its_language_that_works_at_any_depth(site, lang, heading):
    path = site / lang / "404.html"
    page = soup(path)
    assert page.html["lang"] == LANGUAGES[lang]
    assert page.select_one("article h1").get_text(strip=True).rstrip("#¶") == heading
    assert page.title.get_text().startswith(heading)
    prefix = urlsplit(site_tool().site_base_url()).path + f"{lang}/"
    # the switcher leads to the other edition's 404 page, by an absolute path too
    (switch,) = page.select(".abp-language a")
    other = "zh_CN" if lang == "en" else "en"
    assert assert_exists(site, switch["href"], path) == site / other / "404.html"
    urls = [url for url in local_urls(page) if url != switch["href"]]
    assert len(urls) > 10  # styles, scripts, the sidebar's pages, search, the favicon
    for url in urls:
        assert url.startswith(prefix), url  # an absolute path in this edition
        assert_exists(site, url, path)
    home = [a["href"] for a in page.select("article a.reference")]
    assert home == [f"{prefix}index.html"]


@pytest.mark.site
def test_the_root_404_page_is_the_english_one(site):
    assert (site / "404.html").read_bytes() == (site / "en" / "404.html").read_bytes()


@pytest.mark.site
def test_the_sitemaps_list_every_page_of_both_editions_once_with_alternates(site):
    base = site_tool().site_base_url()
    index = ElementTree.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    sitemaps = [entry.findtext(f"{SITEMAP}loc") for entry in index.findall(f"{SITEMAP}sitemap")]
    assert sitemaps == [f"{base}{lang}/sitemap.xml" for lang in LANGUAGES]
    listed = []
    for sitemap in sitemaps:
        urlset = ElementTree.parse(assert_exists(site, sitemap, "sitemap.xml")).getroot()
        for url in urlset.findall(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc")
            listed.append(loc)
            name = urlsplit(loc[len(base) :]).path.split("/", 1)[1]
            links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
            assert links == {tag: f"{base}{code}/{name}" for code, tag in LANGUAGES.items()}, loc
            for href in links.values():
                assert_exists(site, href, loc)
    expected = [
        f"{base}{lang}/{name}"
        for lang, names in site_pages(site).items()
        for name in names
        if name not in NOT_IN_SITEMAP
    ]
    assert len(listed) == len(set(listed)), "a page listed twice"
    assert sorted(listed) == sorted(expected)


@pytest.mark.site
def test_robots_txt_names_the_sitemap(site):
    base = site_tool().site_base_url()
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {base}sitemap.xml" in lines
    assert "User-agent: *" in lines and "Disallow: /" not in lines
