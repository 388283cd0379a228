"""The fetcher's rules: robots.txt, sizes, content types, redirects, the private-address rule,
retries with backoff, conditional requests and the per-host pace."""

from __future__ import annotations

import httpx
import pytest

from realpolitik.errors import FetchError
from realpolitik.watch.fetch import Fetcher, is_private_address

from .conftest import fast
from .feedserver import FeedServer, Route


def fetcher(**values) -> Fetcher:
    return Fetcher(fast(**values))


def test_user_agent_names_the_project_and_the_contact():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, text="<rss/>") if request.url.path != "/robots.txt" else httpx.Response(404)

    with Fetcher(fast(contact="mailto:desk@example.org"), transport=httpx.MockTransport(answer),
                 resolve=lambda h, p: ["93.184.216.34"]) as f:
        assert f.fetch("https://news.example.org/feed.rss").body == b"<rss/>"
    assert seen and all(ua.startswith("realpolitik/") and "(+mailto:desk@example.org)" in ua for ua in seen)


def test_robots_txt_is_honoured_and_read_once(server: FeedServer):
    server.add_article("/private/secret.html", 1)
    server.add_article("/open.html", 2)
    with fetcher() as f:
        with pytest.raises(FetchError, match="robots.txt") as info:
            f.fetch(server.url("/private/secret.html"), html=True)
        assert info.value.retry is False
        assert f.fetch(server.url("/open.html"), html=True).status == 200
    assert server.hits("/private/secret.html") == []
    assert len(server.hits("/robots.txt")) == 1


def test_a_missing_robots_txt_allows_everything(server: FeedServer):
    server.robots = None
    server.add_article("/private/page.html", 3)
    with fetcher() as f:
        assert f.fetch(server.url("/private/page.html"), html=True).status == 200


def test_robots_off_does_not_ask_for_it(server: FeedServer):
    server.add_article("/private/page.html", 3)
    with fetcher(robots=False) as f:
        assert f.fetch(server.url("/private/page.html"), html=True).status == 200
    assert server.hits("/robots.txt") == []


def test_a_huge_page_is_cut_off(server: FeedServer):
    server.fault("/huge.html", "huge", size=5_000_000)
    with fetcher(max_bytes=100_000) as f, pytest.raises(FetchError, match="too big") as info:
        f.fetch(server.url("/huge.html"), html=True)
    assert info.value.retry is False


def test_a_declared_length_over_the_limit_is_refused_before_reading(server: FeedServer):
    server.set("/big.html", Route(body=b"<p>" + b"y" * 300_000 + b"</p>"))
    with fetcher(max_bytes=100_000) as f, pytest.raises(FetchError, match="300,007 bytes"):
        f.fetch(server.url("/big.html"), html=True)


def test_an_article_must_be_html(server: FeedServer):
    server.fault("/report.pdf", "pdf")
    with fetcher() as f:
        with pytest.raises(FetchError, match="not an HTML page .application/pdf.") as info:
            f.fetch(server.url("/report.pdf"), html=True)
        assert info.value.retry is False
        assert f.fetch(server.url("/report.pdf")).content_type == "application/pdf"  # a feed may be anything


def test_redirects_are_followed_and_bounded(server: FeedServer):
    server.add_article("/final.html", 4)
    server.fault("/r2", "redirect", to="/final.html")
    server.fault("/r1", "redirect", to=server.url("/r2"))
    with fetcher() as f:
        page = f.fetch(server.url("/r1"), html=True)
    assert page.final_url == server.url("/final.html") and page.url == server.url("/r1")
    with fetcher(max_redirects=1) as f, pytest.raises(FetchError, match="more than 1 redirects"):
        f.fetch(server.url("/r1"), html=True)


def test_a_redirect_loop_is_refused(server: FeedServer):
    server.fault("/loop", "loop")
    with fetcher() as f, pytest.raises(FetchError, match="redirect loop"):
        f.fetch(server.url("/loop"))
    assert len(server.hits("/loop")) == 1


def test_only_http_and_https(server: FeedServer):
    server.fault("/to-file", "redirect", to="file:///etc/passwd")
    with fetcher() as f:
        with pytest.raises(FetchError, match="only http and https"):
            f.fetch("file:///etc/passwd")
        with pytest.raises(FetchError, match="only http and https"):
            f.fetch(server.url("/to-file"))


def test_the_sources_own_host_is_fetched_as_given(server: FeedServer):
    """A feed on 127.0.0.1 works, and so do the links on its host."""
    server.add_article("/a.html", 5)
    with fetcher() as f:
        assert f.fetch(server.url("/a.html"), origin="127.0.0.1", html=True).status == 200
        assert f.fetch(server.url("/a.html", host="localhost"), html=True).status == 200  # a source as given


def test_a_link_to_another_hosts_private_address_is_refused(server: FeedServer):
    server.add_article("/a.html", 6)
    with fetcher() as f, pytest.raises(FetchError, match="refused: localhost is at a loopback") as info:
        f.fetch(server.url("/a.html", host="localhost"), origin="127.0.0.1", html=True)
    assert info.value.retry is False
    assert server.hits("/a.html") == []
    with fetcher(allow_private=True) as f:
        assert f.fetch(server.url("/a.html", host="localhost"), origin="127.0.0.1", html=True).status == 200
    assert [h.host for h in server.hits("/a.html")] == [f"localhost:{server.port}"]


def test_a_redirect_to_a_private_address_is_refused_before_connecting(server: FeedServer):
    server.fault("/moved.html", "redirect", to="http://10.255.255.1/admin")
    calls = []
    with (Fetcher(fast(timeout_seconds=30), resolve=lambda h, p: calls.append(h) or []) as f,
          pytest.raises(FetchError, match=r"10\.255\.255\.1")):
        f.fetch(server.url("/moved.html"), html=True)
    assert calls == []  # an address is checked as it is, without a lookup


def test_a_public_name_resolving_to_a_private_address_is_refused():
    requests = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        return httpx.Response(200, html="<p>hi</p>")

    with (Fetcher(fast(), transport=httpx.MockTransport(answer), resolve=lambda h, p: ["192.168.1.1"]) as f,
          pytest.raises(FetchError, match="192.168.1.1")):
        f.fetch("https://rebind.example.net/page.html", origin="news.example.org", html=True)
    assert requests == []


def test_the_checked_address_is_the_one_connected_to():
    requests = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append((str(request.url), request.headers["Host"], request.extensions.get("sni_hostname")))
        return httpx.Response(404) if request.url.path == "/robots.txt" else httpx.Response(200, html="<p>hi</p>")

    with Fetcher(fast(), transport=httpx.MockTransport(answer), resolve=lambda h, p: ["93.184.216.34"]) as f:
        page = f.fetch("https://other.example.net/page.html", origin="news.example.org", html=True)
    assert page.final_url == "https://other.example.net/page.html"
    assert requests[-1] == ("https://93.184.216.34/page.html", "other.example.net", "other.example.net")


@pytest.mark.parametrize(("address", "private"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.9", True), ("192.168.0.1", True), ("169.254.169.254", True),
    ("100.64.0.1", True), ("0.0.0.0", True), ("::1", True), ("fe80::1", True), ("fc00::5", True),
    ("::ffff:127.0.0.1", True), ("8.8.8.8", False), ("2606:4700:4700::1111", False)])
def test_private_addresses(address, private):
    assert is_private_address(address) is private


def test_5xx_is_retried_with_exponential_backoff(server: FeedServer):
    server.fault("/flaky.rss", "status", code=503)
    sleeps: list[float] = []
    with (Fetcher(fast(retries=3, backoff_seconds=0.5), sleep=sleeps.append) as f,
          pytest.raises(FetchError, match="503 .tried 4 times.") as info):
        f.fetch(server.url("/flaky.rss"))
    assert info.value.status == 503 and info.value.retry is True
    assert len(server.hits("/flaky.rss")) == 4
    assert len(sleeps) == 3
    for n, s in enumerate(sleeps):  # 0.5, 1, 2, each within a quarter either way
        assert 0.75 * 0.5 * 2 ** n <= s <= 1.25 * 0.5 * 2 ** n


def test_retry_after_is_honoured_within_its_cap(server: FeedServer):
    server.set("/busy.rss", Route(status=429, body=b"slow down", headers={"Retry-After": "7"}, etag="-"))
    sleeps: list[float] = []
    with Fetcher(fast(retries=2, retry_after_max_seconds=10), sleep=sleeps.append) as f, pytest.raises(FetchError):
        f.fetch(server.url("/busy.rss"))
    assert sleeps == [7.0, 7.0]
    sleeps.clear()
    with (Fetcher(fast(retries=2, retry_after_max_seconds=5), sleep=sleeps.append) as f,
          pytest.raises(FetchError, match="asked to wait 7 s")):
        f.fetch(server.url("/busy.rss"))
    assert sleeps == []


def test_a_4xx_is_not_retried(server: FeedServer):
    with fetcher(retries=3) as f, pytest.raises(FetchError, match="answered 404") as info:
        f.fetch(server.url("/nothing.html"), html=True)
    assert info.value.retry is False and len(server.hits("/nothing.html")) == 1


def test_a_timeout_is_retried_then_fails(server: FeedServer):
    server.fault("/slow.rss", "slow", seconds=5)
    with fetcher(timeout_seconds=0.2, retries=1) as f, pytest.raises(FetchError, match="timed out") as info:
        f.fetch(server.url("/slow.rss"))
    assert info.value.status is None and info.value.retry is True


def test_a_refused_connection_fails():
    with fetcher(retries=0) as f, pytest.raises(FetchError, match="connection failed") as info:
        f.fetch(FeedServer.refused_url())
    assert info.value.status is None


def test_conditional_requests_get_304(server: FeedServer):
    server.add_feed("/feed.rss", [server.add_article("/n1.html", 1)])
    with fetcher() as f:
        first = f.fetch(server.url("/feed.rss"))
        again = f.fetch(server.url("/feed.rss"), etag=first.etag, last_modified=first.last_modified)
        by_date = f.fetch(server.url("/feed.rss"), last_modified=first.last_modified)
    assert first.status == 200 and first.etag and first.last_modified
    assert again.not_modified and again.body == b"" and by_date.not_modified
    assert [h.status for h in server.hits("/feed.rss")] == [200, 304, 304]
    assert server.hits("/feed.rss")[1].if_none_match == first.etag


def test_requests_to_one_host_keep_their_distance(server: FeedServer):
    for i in range(3):
        server.add_article(f"/p{i}.html", i)
    sleeps: list[float] = []
    with Fetcher(fast(host_delay_seconds=30, host_concurrency=1, robots=False), sleep=sleeps.append) as f:
        for i in range(3):
            f.fetch(server.url(f"/p{i}.html"), html=True)
    assert len(sleeps) == 2 and 29 < sleeps[0] <= 30 and 59 < sleeps[1] <= 60
