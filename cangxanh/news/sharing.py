"""Share targets for an article: plain links, no third-party scripts.

Zalo and KakaoTalk offer no script-free share address; their buttons use the
browser's share sheet (where those apps register) and fall back to copying
the link, with a message that says so.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ShareTarget:
    key: str
    label: str
    href: str = ""  # empty: handled by the page's script (share sheet or copy)


def share_targets(url: str, title: str) -> list[ShareTarget]:
    return [
        ShareTarget(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ShareTarget(
            "x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})
        ),
        ShareTarget(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareTarget("zalo", "Zalo"),
        ShareTarget(
            "line", "LINE", "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url})
        ),
        ShareTarget("kakaotalk", "KakaoTalk"),
        ShareTarget(
            "weibo",
            _("Weibo"),
            "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": title}),
        ),
        ShareTarget("email", _("E-mail"), f"mailto:?subject={quote(title)}&body={quote(url)}"),
    ]
