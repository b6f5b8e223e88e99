vcl 4.1;
# qxs: Varnish 7 in front of gunicorn (docker-compose `cache`, and `make stack` with the backend
# address, the admin path and the purge ACL substituted by deploy/stack.py).
#
# The app decides what is public: anonymous pages answer `Cache-Control: public, max-age=60,
# s-maxage=S` and name what they show in the `xkey` header (qxs/surrogate.py). A content change
# sends `PURGE /` with `xkey-purge: <keys>` (qxs/purge.py), and every page carrying one of those
# keys is dropped at once. Nothing else expires a page before its s-maxage.

import std;
import xkey;

# gunicorn. Sick when /healthz/database answers anything but 200 (the database is unreachable);
# Redis being down does not make it sick, since the site serves fine without Redis.
backend default {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/healthz/database";
        .timeout = 2s;
        .interval = 1s;
        # Sick after two failed probes out of the last three, healthy again after two good ones.
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Who may PURGE: this machine, and the compose network (Docker takes its subnets from the
# private ranges; the cache is not published on the host, so only the containers reach it).
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    # Purge by surrogate key, from the app only. A request relayed by nginx carries the reader's
    # address and nginx's in X-Forwarded-For (Varnish appends the peer, so a direct request has one
    # address): refused, since the reader is not the app. nginx refuses the method too.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        # softpurge, not purge: the page is out of date at once (req.grace is 0s while the
        # backend is healthy, so the next reader waits for a fresh copy), yet it can still be
        # served as the last good page if the database goes down before anyone asked for it.
        set req.http.xkey-purged = xkey.softpurge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.xkey-purged));
    }

    # Only the methods a browser uses; anything else is refused here, not piped to the app.
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST"
        && req.method != "OPTIONS") {
        return (synth(405, "Method Not Allowed"));
    }

    # Grace (the last good page after its s-maxage) ONLY while the backend is sick: when it is
    # healthy a stale page is never served, the reader waits for the fresh one.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    } else {
        set req.grace = 24h;
    }

    # Writes, the admin (and its previews), and editors: straight to the app, cookies intact.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.url ~ "/preview/") {
        return (pass);
    }
    # A signed-in editor (Django's session cookie) always gets the app's own answer.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }

    # Everyone else reads the same bytes: the app never varies a public page on a cookie.
    unset req.http.Cookie;

    # Tracking parameters never change a page: drop them (utm_*, and the usual click ids) ...
    if (req.url ~ "[?&](utm_[a-z_]+|spm|from|isappinstalled|fbclid|gclid|yclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[a-z_]+|spm|from|isappinstalled|fbclid|gclid|yclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "[?&]+$", "");
        set req.url = regsuball(req.url, "\?&+", "?");
        set req.url = regsuball(req.url, "&&+", "&");
    }
    # ... and sort the rest, so ?a=1&b=2 and ?b=2&a=1 are one object.
    set req.url = std.querysort(req.url);

    # The mark of the gzipped copy is set in vcl_hash, never by a client.
    unset req.http.X-Qxs-Gzip;
    return (hash);
}

sub vcl_hash {
    # URL and host as usual, plus the scheme nginx saw: a page may hold absolute links.
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    hash_data(req.http.X-Forwarded-Proto);
    # A page is kept in two copies at most, each sent as it is stored: gzipped for clients that
    # take gzip (every browser), plain for the others (vcl_backend_response). After vcl_recv,
    # Varnish has reduced Accept-Encoding to "gzip" or nothing.
    if (req.http.Accept-Encoding == "gzip") {
        set req.http.X-Qxs-Gzip = "1";
        hash_data("gzip");
    }
    return (lookup);
}

sub vcl_backend_response {
    # Errors are never kept; during a background refresh the stale page stays as it was.
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch) {
            return (abandon);
        }
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Never shared: anything setting a cookie, or marked private/no-store/no-cache by the app
    # (the admin, previews, search, an editor's pages). Remembered as such for 2 minutes
    # (hit-for-miss: a later cacheable answer is stored as usual).
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Vary == "*") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Only what the app explicitly allows is shared, for as long as it says (s-maxage, which
    # Varnish already read into beresp.ttl): no guessed default TTL for a 404 or a redirect.
    if (beresp.http.Cache-Control !~ "(s-maxage|max-age)=[1-9]") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Kept a day past its TTL, to be served only while the backend is sick (see vcl_recv).
    set beresp.grace = 24h;
    # The copy for clients that take gzip is stored compressed, once, and sent as it is (nginx
    # leaves an encoded answer alone), where nginx would otherwise compress the page again for
    # each reader. The plain copy is sent as it is too (see vcl_hash).
    if (bereq.http.X-Qxs-Gzip && !beresp.http.Content-Encoding
        && (beresp.http.Content-Type ~ "^(text/|image/svg\+xml)"
            || beresp.http.Content-Type ~ "^application/(json|javascript|(rss\+|atom\+)?xml)")) {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    # Set here, by Varnish: HIT when the page came from the cache (fresh, or stale while the
    # backend is sick), MISS otherwise. Varnish sets Age itself.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    # Internal: the surrogate keys are for purging here (a page may carry hundreds), and which
    # server the app runs on is nobody's business.
    unset resp.http.xkey;
    unset resp.http.Server;
}

# The backend is down (sick, refused, timed out) and nothing is cached: the app's 503 page, in
# Chinese, kept in this file so it works without the app (portal/templates/503.html).
sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.status = 503;
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    synthetic({"<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>服务暂时不可用 - 质量兴市</title>
<style>
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif;
       color: #222; background: #f5f6f8; margin: 0; }
main { max-width: 36rem; margin: 12vh auto; padding: 2rem; background: #fff;
       border-top: 4px solid #b71c1c; }
.error-code { font-size: 3rem; color: #b71c1c; margin: 0; }
a { color: #0b4f9c; }
</style>
</head>
<body>
<main>
<p class="error-code" aria-hidden="true">503</p>
<h1>服务暂时不可用</h1>
<p>网站正在维护或暂时无法读取数据，请稍后再试。</p>
<p>给您带来不便，敬请谅解。</p>
<p><a href="/">返回首页</a></p>
</main>
</body>
</html>
"});
    return (deliver);
}

# Varnish's own answers (PURGE results, refusals): short plain text.
sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    synthetic(resp.reason + {"
"});
    return (deliver);
}
