"""`claimdesk import`: every article sentence kept, boilerplate cut, metadata found, bad input
reported in one line, and the same text never imported twice."""
# ruff: noqa: E501  (the expected sentences are data: one sentence per line reads best)

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEEDS
from tests.core.test_library import yaml_alias_bomb
from tui.cli import cli
from tui.core.articles.library import read_article, scan_library

SEED_000 = "000_d9f4c47138700047.txt"
SEED_003 = "003_2fa2a70927448b5d.txt"

ARTICLE_000 = [
    "Hong Kong is an attractive regional hub for mainland Chinese artificial intelligence (AI) start-ups looking for a bridgehead to expand into overseas markets, according to company executives at a technology-themed event on Wednesday.",
    "CloudWalk Technology, a Guangzhou-based AI company that started in 2015 as a vendor of facial recognition software, was looking into establishing an entity in Hong Kong to facilitate its overseas business development, co-founder and director Liu Jun said on the sidelines of the symposium themed “Greater Bay Area and innovative technology”.",
    "He noted that the Greater Bay Area – which encompasses Hong Kong, Macau and nine mainland cities – boasted an innovative atmosphere rivalling that of Hangzhou, the eastern city that is home to companies like DeepSeek and Unitree Robotics.",
    "Hong Kong offered Greater Bay Area companies several advantages, including access to high-quality talent, global influence and supportive policies for innovation, Liu said.",
    "CloudWalk’s plan to establish a foothold in Hong Kong reflects a broader trend of Chinese AI start-ups entering the city to raise funds, attract international talent and connect with global markets.",
    "Meanwhile, Hong Kong is looking to AI as a means to upgrade its traditional sectors and enhance the city’s development prospects.",
    "The Hong Kong government recently announced it was allocating HK$1 billion (US$129 million) to establish an AI institute.",
    "Wednesday’s event was hosted by the Bay Area Hong Kong Centre, an organisation chaired by former Hong Kong chief executive Leung Chun-ying to promote regional integration, together with the Asia Pacific Taiwan Federation of Industry and Commerce.",
    "Chinese voice-recognition firm iFlyTek, which set up its global headquarters in Hong Kong in July, is also leveraging the city’s market to expand globally.",
    "“The delivery standards for IT solutions [here] align with the best in the world,” iFlytek’s head of Hong Kong and Macau, Yan Qingxi, said at the event.",
    "“If we can serve the Hong Kong market well, we can serve any international market.”",
    "The company had been investing heavily on Cantonese-based voice recognition solutions to meet the needs of multinational firms operating in Hong Kong, Yan said.",
    "Guangzhou-based autonomous-driving company Pony.ai, which said in January it was planning to launch its robotaxis in Hong Kong, was “confident” about its technology, vice-president Mo Luyi said.",
    "But the firm was taking additional time to communicate with the Hong Kong government to prepare for local commercialisation, she added.",
]
BOILERPLATE_000 = [
    "Do you have questions about the biggest topics and trends from around the world?",
    "Get the answers with SCMP Knowledge, our new platform of curated content with explainers, FAQs, analyses and infographics brought to you by our award-winning team.",
    "More from South China Morning Post:",
    "Chinese drug maker Akeso hailed as biotech’s ‘DeepSeek moment’ amid US competition",
    "Another DeepSeek moment? General AI agent Manus shows ability to handle complex tasks",
    "Tech war: Top scientist urges China to develop alternative to Nvidia’s CUDA software",
    "China’s ‘Fantastic Four’: the new breed of entrepreneurs reshaping the global tech landscape",
    "For the latest news from the South China Morning Post download our mobile app.",
    "Copyright 2025.",
]
ARTICLE_003 = [
    "Hong Kong’s Tech Revival Amid Geopolitical Tensions",
    "In the bustling financial hub of Hong Kong, a quiet revolution is underway as the city positions itself as a magnet for cutting-edge technology firms.",
    "Despite lingering concerns over the national security law enacted in 2020 and its expansions, recent data shows a surge in investments and company relocations.",
    "According to a report from China Daily Asia, the Office for Attracting Strategic Enterprises (OASES) has successfully lured 84 innovative tech companies to the city over the past two and a half years, with projected investments reaching HK$50 billion ($6.37 billion) and the creation of approximately 13,000 jobs.",
    "These firms span critical sectors like artificial intelligence, biotechnology, fintech, and new materials, drawn by Hong Kong’s strategic location as a gateway to mainland China and its robust infrastructure.",
    "Insiders note that government incentives, including tax breaks and streamlined visa processes, have played a pivotal role.",
    "Yet, this influx occurs against a backdrop of international scrutiny, where the security law’s broad provisions on subversion and foreign collusion have raised alarms about data privacy and operational freedoms for tech businesses.",
    "Navigating Security Laws and Business Realities",
    "The national security framework, bolstered by the 2024 Safeguarding National Security Ordinance, has introduced new layers of compliance for tech operators.",
    "A GOV.UK policy note from April 2025 highlights how these laws expand offenses to include espionage and external interference, potentially chilling foreign investment.",
    "Tech executives, speaking anonymously, describe a dual-edged sword: enhanced stability post-2019 protests, but heightened risks of data requests from authorities that could conflict with global privacy standards.",
    "Nevertheless, sentiment on platforms like X reflects optimism among industry players.",
    "Posts from crypto enthusiasts and analysts in early 2025 praise Hong Kong’s push into Web3 and AI-blockchain integrations, with over 270 blockchain firms now networked in Cyberport.",
    "This vibrancy contrasts with earlier fears; a 2020 analysis in TechCrunch warned of tech firms pausing operations due to the law’s implications for cybersecurity and trade.",
    "Investment Trends and Economic Resilience",
    "Foreign direct investment data underscores resilience.",
    "A recent assessment from AInvest evaluates how security measures have reshaped long-term inflows, noting a rebound with IPOs surging sevenfold in 2025, fueled by reforms in virtual asset regulations.",
    "Chinese tech giants are flocking to Hong Kong listings, as reported in a Financial Times piece echoed on X by analysts like Paul Triolo, who pointed to streamlined confidential filing rules boosting the market.",
    "For businesses, the new cybersecurity law effective January 2026 adds another dimension.",
    "Enacted in March 2025, as detailed in Global Compliance News, it mandates protections for critical infrastructure, aligning Hong Kong with global standards while addressing national security gaps.",
    "Industry insiders view this as a stabilizing force, potentially attracting more AI and data-driven firms wary of mainland China’s stricter controls.",
    "Innovation Hubs and Future Prospects",
    "Hong Kong’s tech ecosystem is thriving through hubs like Cyberport and the Hong Kong Science Park, where government support intersects with private innovation.",
    "A Hong Kong Free Press explainer from June 2025 details how security clauses now permeate sectors from education to arts, yet this hasn’t deterred growth; OASES’s efforts have introduced firms expected to generate billions in economic value.",
    "Challenges persist, including talent retention amid emigration waves post-law implementation, as noted in Human Rights Watch critiques.",
    "But for insiders, the calculus favors opportunity: progressive crypto policies and R&D incentives position Hong Kong as Asia’s innovation bridge.",
    "As one venture capitalist posted on X, the city’s tokenized trends and AI integrations signal a “new primitive” in finance, suggesting that security measures, while contentious, may ultimately fortify its competitive edge in a volatile global arena.",
]
BOILERPLATE_003 = [
    "Hong Kong Tech Revival: $50B Investments, 13K Jobs in AI, Biotech",
    "Hong Kong is experiencing a tech revival, attracting 84 innovative firms via OASES",
    "Government incentives and hubs like Cyberport fuel optimism.",
    "This positions the city as Asia's innovation bridge.",
    "Written by Zane Howard",
    "Subscribe for Updates",
    "HealthRevolution Newsletter",
    "By signing up for our newsletter you agree to receive content related to ientry.com / webpronews.com and our affiliate partners.",
    "For additional information refer to our terms of service.",
    "Notice an error?",
    "Help us improve our content by reporting any issues you find.",
    "Get the WebProNews newsletter delivered to your inbox",
    "Get the free daily newsletter read by decision makers",
    "Subscribe",
    "Advertise with Us",
    "Ready to get started?",
    "Get our media kit",
]


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Run ``claimdesk`` on a library in ``tmp_path``; return exit code, stdout, stderr."""
    result = CliRunner().invoke(
        cli,
        ["--articles", str(tmp_path / "lib"), "--db", str(tmp_path / "a.json"), *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def import_one(tmp_path: Path, source: Path, *options: str) -> str:
    """Import one file and return the stored article's file text."""
    code, _, err = run(tmp_path, "import", str(source), *options)
    assert code == 0, err
    (article,) = (tmp_path / "lib").glob("*.md")
    return article.read_text(encoding="utf-8")


def seed(name: str) -> Path:
    """Path of a raw seed article in ../shared/seeds; skip when that folder is absent."""
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} not found: the shared seeds folder is not beside the project")
    return path


@pytest.mark.parametrize(
    ("name", "article", "boilerplate", "paragraphs"),
    [
        (SEED_000, ARTICLE_000, BOILERPLATE_000, 10),
        (SEED_003, ARTICLE_003, BOILERPLATE_003, 12),
    ],
)
def test_seed_keeps_every_article_sentence_and_no_boilerplate(
    tmp_path: Path, name: str, article: list[str], boilerplate: list[str], paragraphs: int
) -> None:
    import_one(tmp_path, seed(name))
    (meta,) = scan_library(tmp_path / "lib").articles
    body = read_article(meta.path).body
    for sentence in article:
        assert sentence in body, sentence
    for sentence in boilerplate:
        assert sentence not in body, sentence
    rest = body
    for sentence in article:
        rest = rest.replace(sentence, "", 1)
    assert rest.split() == [], "text beyond the expected article sentences"
    assert body.index(article[0]) < body.index(article[-1])
    lines = body.split("\n")
    assert len(lines) == paragraphs  # the source's paragraphs, one per line
    for heading in (s for s in article if s[-1] not in ".”"):
        assert heading in lines, heading


def test_seed_metadata(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "import", str(seed(SEED_000)), str(seed(SEED_003)))
    assert code == 0, err
    articles = {m.id: m for m in scan_library(tmp_path / "lib").articles}
    scmp = articles["hong-kong-is-an-attractive-regional-hub"]
    assert (
        scmp.title == "Hong Kong is an attractive regional hub for mainland Chinese AI start-ups…"
    )
    assert (scmp.source, scmp.author, scmp.published) == ("South China Morning Post", None, None)
    wpn = articles["hong-kong-tech-revival-50b-investments-13k-jobs"]
    assert wpn.title == "Hong Kong Tech Revival: $50B Investments, 13K Jobs in AI, Biotech"
    assert (wpn.source, wpn.author) == ("WebProNews", "Zane Howard")
    assert "imported as hong-kong-tech-revival" in out


def test_show_removed_lists_each_cut_with_its_rule(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "import", "--show-removed", str(seed(SEED_003)))
    assert code == 0
    assert "  cut [byline] Written by Zane Howard" in out
    assert "  cut [newsletter] HealthRevolution Newsletter" in out
    assert "  cut [dek] Hong Kong is experiencing a tech revival" in out
    assert out.count("  cut [advertising] Advertise with Us") == 2


def test_reimport_is_idempotent_and_collisions_get_a_suffix(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("Big News\n\nThe city spent HK$1 billion on roads.\n", encoding="utf-8")
    assert run(tmp_path, "import", str(first))[0] == 0
    code, out, _ = run(tmp_path, "import", str(first))
    assert code == 0
    assert "already in the library as big-news" in out
    second = tmp_path / "b.md"
    second.write_text("# Big News\n\nA different story about 13,000 jobs.\n", encoding="utf-8")
    code, out, _ = run(tmp_path, "import", str(second))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "lib").glob("*.md")) == [
        "big-news-2.md",
        "big-news.md",
    ]


def test_title_and_source_options_win(tmp_path: Path) -> None:
    text = import_one(
        tmp_path, seed(SEED_000), "--title", "Mainland AI firms eye Hong Kong", "--source", "SCMP"
    )
    assert "title: Mainland AI firms eye Hong Kong\n" in text
    assert "source: SCMP\n" in text
    assert (tmp_path / "lib" / "mainland-ai-firms-eye-hong-kong.md").exists()


def test_title_option_needs_a_single_file(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "import", "--title", "T", "a.txt", "b.txt")
    assert code == 2
    assert "one at a time" in err


HTML = """<!doctype html><html><head><title>Port deal | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times"><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-03-05T08:00:00Z"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news section</a></li></ul></nav>
<article><h1>Port deal</h1>
<p>The port operator agreed on Monday to sell 43 terminals for US$22.8 billion, the company said in a filing to the exchange.</p>
<p>Advertisement</p><h3>Related</h3><ul><li><a href="/a">Port stocks rally on deal news</a></li></ul>
<h2>What happens next</h2>
<p>Regulators in three countries must approve the sale, which is expected to close within [b]six months[/b] of the signing.</p>
<p>Subscribe for Updates</p>
</article>
<footer><p>Copyright 2025 Harbour Times. All rights reserved.</p><a href="/ads">Advertise with Us</a></footer>
</body></html>"""


def test_html_import_keeps_the_article_and_its_metadata(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    import_one(tmp_path, page)
    (meta,) = scan_library(tmp_path / "lib").articles
    article = read_article(meta.path)
    assert (meta.title, meta.source, meta.author) == ("Port deal", "Harbour Times", "Jane Doe")
    assert meta.published == "2025-03-05"
    assert article.body.split("\n") == [
        "The port operator agreed on Monday to sell 43 terminals for US$22.8 billion, the company said in a filing to the exchange.",
        "What happens next",
        "Regulators in three countries must approve the sale, which is expected to close within [b]six months[/b] of the signing.",
    ]


def test_markdown_front_matter_is_respected(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(
        "---\ntitle: Given title\nsource: Example Wire\nauthor: A. Writer\npublished: 2025-01-02\n"
        "url: https://example.com/story\n---\n# Given title\n\nBody with **bold** and a\n"
        "[link](https://example.com) that wraps.\n",
        encoding="utf-8",
    )
    text = import_one(tmp_path, source)
    assert (
        "title: Given title\nsource: Example Wire\nauthor: A. Writer\npublished: '2025-01-02'"
        in text
    )
    assert "url: https://example.com/story\n" in text
    assert text.endswith("---\nBody with bold and a link that wraps.\n")


def test_control_characters_and_markup_are_stored_visibly(tmp_path: Path) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(
        "Title [bold]x[/] \x1b]52;c;SGk=\x07\n\nBody \x1b[2J with [link=https://e.vil]y[/link] and [@click=app.quit]z.\n",
        encoding="utf-8",
    )
    code, out, err = run(tmp_path, "import", str(source))
    assert code == 0, err
    assert "\x1b" not in out + err
    (meta,) = scan_library(tmp_path / "lib").articles
    assert meta.title == "Title [bold]x[/] ␛]52;c;SGk=␇"
    assert read_article(meta.path).body == (
        "Body ␛[2J with [link=https://e.vil]y[/link] and [@click=app.quit]z."
    )


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    files = {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "folder": (tmp_path / "folder.txt", "is a folder"),
        "binary": (tmp_path / "blob.txt", "binary file"),
        "utf8": (tmp_path / "latin1.txt", "not valid UTF-8 (byte 3)"),
        "only-boilerplate": (
            tmp_path / "promo.txt",
            "nothing left after removing boilerplate (3 paragraphs cut)",
        ),
        "one-promo": (tmp_path / "one.txt", "nothing left after removing boilerplate (1 paragraph"),
        "extension": (tmp_path / "paper.pdf", "unsupported file type (.pdf)"),
        "empty": (tmp_path / "empty.md", "empty file"),
        "pipe": (tmp_path / "pipe.txt", "not a regular file (a pipe or a device)"),
    }
    os.mkfifo(files["pipe"][0])  # reading it would wait for a writer forever
    files["folder"][0].mkdir()
    files["binary"][0].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    files["utf8"][0].write_bytes("Caf\xe9 news.".encode("latin-1"))
    files["only-boilerplate"][0].write_text("Subscribe\nAdvertise with Us\nCopyright 2025.\n")
    files["one-promo"][0].write_text("Subscribe\n")
    files["extension"][0].write_bytes(b"%PDF-1.7")
    files["empty"][0].write_text("  \n")
    return files


def test_each_bad_file_is_one_line_and_the_others_still_import(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text("Good news\n\nThe city hired 500 teachers.\n", encoding="utf-8")
    paths = [str(p) for p, _ in bad.values()]
    code, out, err = run(tmp_path, "import", paths[0], str(good), *paths[1:])
    assert code == 1
    assert "imported as good-news" in out
    lines = err.strip().split("\n")
    assert len(lines) == len(bad) + 1
    for path, reason in bad.values():
        (line,) = [line for line in lines if f"{path}:" in line]
        assert line.startswith("error: ") and reason in line, line
    assert lines[-1] == f"{len(bad)} of {len(bad) + 1} files not imported"
    assert "Traceback" not in err


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    source = tmp_path / "utf16.txt"
    source.write_bytes("Title line\n\nThe city hired 500 teachers.\n".encode("utf-16"))
    text = import_one(tmp_path, source)
    assert text.endswith("---\nThe city hired 500 teachers.\n")


def test_a_library_file_imported_again_is_a_duplicate(tmp_path: Path) -> None:
    stored = import_one(tmp_path, seed(SEED_003))
    copy = tmp_path / "copy.md"
    copy.write_text(stored, encoding="utf-8")
    code, out, err = run(tmp_path, "import", str(copy))
    assert code == 0, err
    assert "already in the library as hong-kong-tech-revival-50b-investments-13k-jobs" in out


def test_front_matter_lists_are_not_taken_as_text(tmp_path: Path) -> None:
    source = tmp_path / "list.md"
    source.write_text(
        "---\ntitle: Schools\nsource: [x, y]\n---\nThe city hired 500 teachers for its new "
        "schools this year.\n",
        encoding="utf-8",
    )
    text = import_one(tmp_path, source)
    assert "source: null" in text


def test_front_matter_alias_bomb_is_one_line_and_never_expanded(tmp_path: Path) -> None:
    source = tmp_path / "bomb.md"
    source.write_text(
        "---\n" + yaml_alias_bomb() + "title: *j\n---\nThe city hired 500 teachers.\n",
        encoding="utf-8",
    )
    code, _, err = run(tmp_path, "import", str(source))
    assert code == 1
    assert err.split("\n")[0] == (
        f"error: {source}: front matter uses YAML anchors or aliases (&name, *name); "
        "fix the front matter or remove it"
    )
    assert not (tmp_path / "lib").exists() or not list((tmp_path / "lib").glob("*.md"))


def test_malformed_front_matter_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    code, _, err = run(tmp_path, "import", str(source))
    assert code == 1
    line = err.split("\n")[0]
    assert line.startswith(f"error: {source}: malformed front matter at line ")
    assert line.endswith("; fix the front matter or remove it")


def test_seed_dek_is_kept_as_the_summary_not_the_body(tmp_path: Path) -> None:
    """The publisher's summary of seed 003 lands in the front matter, not in the article text."""
    seed = SEEDS / "003_2fa2a70927448b5d.txt"
    if not seed.exists():
        pytest.skip(f"{seed} not found: the shared seeds folder is not beside the project")
    result = CliRunner().invoke(
        cli,
        [
            "--articles",
            str(tmp_path / "lib"),
            "--db",
            str(tmp_path / "a.json"),
            "import",
            str(seed),
        ],
    )
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "lib").glob("*.md")
    article = read_article(path)
    assert article.meta.summary is not None
    assert article.meta.summary.startswith("Hong Kong is experiencing a tech revival")
    assert "experiencing a tech revival" not in article.body
