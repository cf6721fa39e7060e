vcl 4.1;

# cangxanh behind Varnish (Debian: apt-get install varnish varnish-modules).
#
# What it does (docs/operations.md, "Varnish in front"):
# - caches what the portal marks public (Cache-Control max-age) for as long as it
#   says, one copy for every reader without a session;
# - purges exactly by cache tag: the portal sends `PURGE` with `xkey-purge: <keys>`
#   (cangxanh.delivery.edge, CANGXANH_EDGE_PURGE_URLS), allowed from `purgers` only;
# - passes the newsroom (/admin/, /editorial/, /preview/, /accounts/), requests with
#   a session cookie or Authorization, and every method but GET and HEAD;
# - drops tracking parameters (utm_*, fbclid, gclid …) and the cookies public pages
#   do not read, and keeps a gzip copy per page and a plain one for clients without gzip;
# - counts views exactly, as `cx_views` below says: "log": a page with a view count
#   (the portal names it in X-Cx-Views) is kept here for a second at most, so the
#   count in it is current within a second, and each reader served is written to
#   Varnish's log, which varnishncsa appends to a file and `manage.py edge-views`
#   counts; "esi": the page comes with its count as an ESI include
#   (cangxanh.delivery.fragments), fetched from the portal, which counts it, for
#   every reader served: nothing else to run, and a third of the throughput;
# - serves stale pages while the portal is down or failing (grace), and never longer
#   than the portal allows while it is up.
#
# The origin: the portal's load balancer, or its only app server. Set `.host` and
# `.port` below (deploy/cluster.py and the tests write the port in). For several app
# servers without a balancer, declare one backend each and a directors.round_robin()
# in vcl_init, and set req.backend_hint from it at the top of vcl_recv.

import cookie;
import std;
import xkey;

backend origin {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # A cheap address that needs neither the database nor Redis.
    .probe = {
        .request = "GET /robots.txt HTTP/1.1"
                   "Host: localhost"
                   "User-Agent: varnish-probe"
                   "Connection: close";
        .interval = 2s;
        .timeout = 1s;
        .window = 5;
        .threshold = 3;
        .initial = 3;
    }
}

# Who may purge: this machine, and the app servers (add their addresses or network).
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

# Who may say a request came over https (X-Forwarded-Proto): the TLS terminator in
# front of Varnish (hitch, nginx, a load balancer). Add its address.
acl tls_terminators {
    "localhost";
    "127.0.0.1";
    "::1";
}

# How views are counted: "log" or "esi" (above; docs/operations.md, "Counting views
# at the edge"). delivery.edge.vcl_for(views=…) writes it.
sub cx_views {
    set req.http.x-cx-views = "esi";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        set req.http.x-cx-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-cx-purged));
    }

    # Only this file says what the portal may do here, never the client.
    unset req.http.Surrogate-Capability;
    # The scheme is part of a page's key (vcl_hash) and of the addresses the portal
    # writes: only the TLS terminator says it, and only as http or https; a reader
    # sending it would make copies of their own.
    if (client.ip !~ tls_terminators || req.http.X-Forwarded-Proto !~ "^https?$") {
        unset req.http.X-Forwarded-Proto;
    }
    if (req.restarts == 0) {
        unset req.http.x-cx-fresh;
        unset req.http.x-cx-stale-ok;
    }

    # "esi": the view count of a page served from here, fetched anew for every reader,
    # and only as a part of a page (an address the portal signed, in an include).
    call cx_views;
    if (req.url ~ "^/_edge/") {
        if (req.esi_level == 0 || req.http.x-cx-views != "esi") {
            return (synth(404, "Not Found"));
        }
        return (pass);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # The newsroom: never cached, cookies untouched.
    if (req.url ~ "^/(admin|editorial|preview|accounts)(/|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);  # signed-in staff get their own pages (private, no-cache)
    }

    # Public pages read no cookie: keep only the forms' CSRF token and the language
    # chosen (the forms and / are never marked public, so never cached).
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        cookie.keep("csrftoken,cangxanh_language");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }

    # Tracking parameters: one copy for every campaign link (the portal ignores them too).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|twclid|ttclid|srsltid|_ga|_gl)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|twclid|ttclid|srsltid|_ga|_gl)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    set req.url = std.querysort(req.url);

    # Two copies per page at most: gzip for those who take it, and the plain bytes for
    # the rest, fetched plain (unzipping the gzip copy for each of them cost the edge
    # five times the CPU of serving it). Purges by xkey take both.
    unset req.http.x-cx-plain;
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
        set req.http.x-cx-plain = "1";
    }

    # Stale pages: while the portal is up, only within its stale-while-revalidate
    # (vcl_hit); when it is down or failing (vcl_synth), up to beresp.grace.
    if (req.http.x-cx-stale-ok) {
        set req.grace = 24h;
    } elsif (req.http.x-cx-fresh) {
        set req.grace = 0s;
    }

    if (req.http.x-cx-views == "esi") {
        set req.http.Surrogate-Capability = "cangxanh=ESI/1.0";
    }
    return (hash);
}

sub vcl_hash {
    # As the portal's own page cache keys it: http and https apart (a TLS terminator
    # in front sets X-Forwarded-Proto); then the builtin's URL and Host.
    hash_data(req.http.X-Forwarded-Proto);
    if (req.http.x-cx-plain) {
        hash_data("plain");
    }
}

sub vcl_hit {
    # A stale copy, past what the portal allows while it answers: fetch it now.
    if (obj.ttl <= 0s && !req.http.x-cx-stale-ok && std.healthy(req.backend_hint)
        && obj.ttl + std.duration(obj.http.x-cx-stale, 0s) <= 0s) {
        set req.http.x-cx-fresh = "1";
        return (restart);
    }
}

sub vcl_backend_fetch {
    # The plain copy: asked for plain (Varnish asks every backend for gzip otherwise).
    if (bereq.http.x-cx-plain && bereq.url !~ "^/_edge/") {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.x-cx-plain;
    # The count, fetched per reader: in gzip (one stored block from the portal), which
    # Varnish splices into the gzip page as it is, instead of compressing each one.
    if (bereq.url ~ "^/_edge/") {
        unset bereq.http.Surrogate-Capability;
        set bereq.http.Accept-Encoding = "gzip";
    }
    # "log": a page fetched here for the readers to come is not itself a view (they
    # are counted from the log as they are served), as a prefetch is not; and it is
    # fetched whole, with the count now: its ETag leaves the count out, so a
    # revalidation would keep the old count in it.
    if (bereq.http.x-cx-views == "log" && !bereq.uncacheable) {
        set bereq.http.Sec-Purpose = "prefetch";
        unset bereq.http.If-None-Match;
        unset bereq.http.If-Modified-Since;
    }
}

sub vcl_backend_response {
    if (bereq.url ~ "^/_edge/" && beresp.status != 200) {
        return (error(503));  # no count rather than an error page inside the page
    }
    if (bereq.uncacheable) {
        return (deliver);  # passed
    }
    # A failing portal: the copy there is stays (abandoned, this answer kills it not),
    # and the reader gets it (vcl_synth); the portal's own error page only when there
    # is none.
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch || !bereq.http.x-cx-stale-ok) {
            return (abandon);
        }
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        return (deliver);
    }
    # Only what the portal says may be kept: an explicit public lifetime.
    if (!beresp.http.Cache-Control
        || beresp.http.Cache-Control !~ "(?i)(^|[,\s])(s-maxage|max-age)\s*="
        || beresp.http.Cache-Control ~ "(?i)private|no-store|no-cache"
        || beresp.http.Set-Cookie
        || beresp.http.Vary == "*") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A page with a view count ("log"): fresh for a second, then served stale for one
    # more while it is fetched again, so that the count in it is never more than about
    # two seconds old (one fetch per page and second while it is read).
    if (beresp.http.X-Cx-Views && bereq.http.x-cx-views == "log") {
        if (beresp.ttl > 1s) {
            set beresp.ttl = 1s;
        }
        if (beresp.grace > 1s) {
            set beresp.grace = 1s;
        }
    }
    if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
        set beresp.http.x-cx-esi = "1";
    }
    # beresp.grace is the portal's stale-while-revalidate: kept, and a longer grace for
    # when the portal is down.
    set beresp.http.x-cx-stale = beresp.grace + "s";
    set beresp.grace = 24h;
    unset beresp.http.X-Cache;  # the portal's own page cache
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.url ~ "^/_edge/") {
        # The portal cannot count now: the page goes out without its count.
        set beresp.status = 200;
        set beresp.http.Content-Type = "text/html; charset=utf-8";
        set beresp.body = "";
        return (deliver);
    }
    # The portal unreachable: as a failing answer (vcl_backend_response), the copy
    # there is, through vcl_synth.
    if (bereq.is_bgfetch || !bereq.http.x-cx-stale-ok) {
        return (abandon);
    }
}

sub vcl_deliver {
    # "log": the page's count, for varnishncsa (delivery.fragments.LOG_FORMAT), once per
    # reader served (a 304 too: a revalidation is a view, as the portal counts it).
    if (resp.http.X-Cx-Views) {
        if (req.http.x-cx-views == "log" && req.esi_level == 0) {
            std.log("cx-views:" + resp.http.X-Cx-Views);
        }
        unset resp.http.X-Cx-Views;
    }
    # A page with a live count is sent whole, never as 304, so that its count is
    # fetched (and the view counted) as the portal counts a revalidation.
    if (resp.http.x-cx-esi) {
        unset req.http.If-None-Match;
        unset req.http.If-Modified-Since;
        unset resp.http.x-cx-esi;
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.x-cx-stale;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}

sub vcl_synth {
    # A fetch abandoned (the portal failing, vcl_backend_response): once more, taking
    # the copy there is however old, else the portal's own error page.
    if (resp.status == 503 && !req.http.x-cx-stale-ok && req.esi_level == 0
        && (req.method == "GET" || req.method == "HEAD") && req.url !~ "^/_edge/") {
        set req.http.x-cx-stale-ok = "1";
        return (restart);
    }
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
