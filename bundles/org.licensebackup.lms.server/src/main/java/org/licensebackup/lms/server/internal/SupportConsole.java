package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The support console under {@value #PATH}: plain HTML made here, every value escaped, and one small
 * script from the bundle. Every page but the log-in needs a session ({@link ConsoleSessions}); every
 * action is a POST that carries the session's CSRF token and comes from the console's own origin.
 * What it shows and does is {@link SupportDesk}'s, which {@code license:support} uses too.
 */
final class SupportConsole {

    static final String PATH = "/console/";
    static final String COOKIE = "lms_console";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";

    private final SupportDesk desk;
    private final OperatorsFile operators;
    private final ConsoleSessions sessions;
    private final RequestProcessor.FaultLog log;

    SupportConsole(SupportDesk desk, OperatorsFile operators, ConsoleSessions sessions, RequestProcessor.FaultLog log) {
        this.desk = desk;
        this.operators = operators;
        this.sessions = sessions;
        this.log = log;
    }

    /** Answers a request whose path starts with {@value #PATH} (or is {@code /console}). */
    void handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String page = path.length() <= PATH.length() ? "" : path.substring(PATH.length());
        boolean post = "POST".equals(request.getMethod());
        if (!post && !"GET".equals(request.getMethod())) {
            text(response, callback, 405, "use GET or POST");
            return;
        }
        if (page.equals("console.js") && !post) {
            script(response, callback);
            return;
        }
        if (page.equals("login")) {
            if (post) {
                logIn(request, response, callback);
            } else {
                html(response, callback, 200, loginPage(Request.extractQueryParameters(request).getValue("next"), null));
            }
            return;
        }
        Optional<ConsoleSessions.Session> session = sessions.find(cookie(request));
        if (session.isEmpty()) {
            if (post) {
                text(response, callback, 403, "log in first");
            } else {
                String next = path + (request.getHttpURI().getQuery() == null ? "" : "?" + request.getHttpURI().getQuery());
                redirect(request, response, callback, PATH + "login?next=" + encode(next));
            }
            return;
        }
        if (post) {
            act(request, response, callback, session.get(), page);
            return;
        }
        Fields query = Request.extractQueryParameters(request);
        try {
            String body = switch (page) {
                case "" -> homePage();
                case "license" -> licensePage(query.getValue("kid"), session.get(), query.getValue("freed"));
                case "device" -> devicePage(query.getValue("id"), session.get(), query.getValue("freed"));
                default -> null;
            };
            if (body == null) {
                html(response, callback, 404, layout("Not found", session.get(), "<p>No such page.</p>"));
            } else {
                html(response, callback, 200, layout("License support", session.get(), body));
            }
        } catch (SupportException e) {
            html(response, callback, e.code() == SupportException.Code.NOT_FOUND ? 404 : 400,
                    layout("License support", session.get(), "<p class=\"error\" id=\"error\">" + escape(e.getMessage()) + "</p>"));
        }
    }

    private void logIn(Request request, Response response, Callback callback) throws Exception {
        Fields form = FormFields.getFields(request);
        String name = form.getValue("name");
        String password = form.getValue("password");
        String next = form.getValue("next");
        Optional<String> operator;
        try {
            operator = name == null || password == null ? Optional.empty() : operators.authenticate(name, password.toCharArray());
        } catch (IOException e) {
            log.fault("the console's operators file " + operators.file() + " cannot be read", e);
            html(response, callback, 503, loginPage(next, "The operators file cannot be read; see the server's log."));
            return;
        }
        if (operator.isEmpty()) {
            log.refused("console log-in refused for " + shown(name) + " from " + Request.getRemoteAddr(request));
            html(response, callback, 401, loginPage(next, "Wrong name or password."));
            return;
        }
        ConsoleSessions.Session session = sessions.open(operator.get());
        Response.addCookie(response, HttpCookie.build(COOKIE, session.token()).path(PATH).httpOnly(true).secure(request.isSecure())
                .sameSite(HttpCookie.SameSite.STRICT).build());
        redirect(request, response, callback, safeNext(next));
    }

    private void act(Request request, Response response, Callback callback, ConsoleSessions.Session session, String page)
            throws Exception {
        if (!sameOrigin(request)) {
            text(response, callback, 403, "an action must come from the console's own pages");
            return;
        }
        Fields form = FormFields.getFields(request);
        if (!ConsoleSessions.csrfMatches(session, form.getValue("csrf"))) {
            text(response, callback, 403, "the form's token is not this session's: open the page again");
            return;
        }
        try {
            switch (page) {
                case "logout" -> {
                    sessions.close(session.token());
                    Response.addCookie(response, HttpCookie.build(COOKIE, "").path(PATH).httpOnly(true).maxAge(0)
                            .sameSite(HttpCookie.SameSite.STRICT).build());
                    redirect(request, response, callback, PATH + "login");
                }
                case "free" -> {
                    SupportDesk.AuditEntry entry = desk.freeSlot(session.operator(), form.getValue("kid"), form.getValue("device"),
                            form.getValue("reason"));
                    redirect(request, response, callback, PATH + "license?kid=" + encode(entry.keyId().toString()) + "&freed=1");
                }
                case "free-device" -> {
                    String device = form.getValue("device");
                    List<SupportDesk.AuditEntry> entries = desk.freeDevice(session.operator(), device, form.getValue("reason"));
                    redirect(request, response, callback, PATH + "device?id=" + encode(device) + "&freed=" + entries.size());
                }
                default -> text(response, callback, 404, "no such action");
            }
        } catch (SupportException e) {
            html(response, callback, e.code() == SupportException.Code.BAD_INPUT ? 400 : 409,
                    layout("License support", session, "<p class=\"error\" id=\"error\">" + escape(e.getMessage()) + "</p>"));
        }
    }

    // Pages

    private String homePage() {
        SupportDesk.Today today = desk.today();
        StringBuilder html = new StringBuilder();
        html.append("<h2>Today, ").append(today.date()).append(" (UTC)</h2>\n<table id=\"today\"><tr><th>what</th><th>count</th></tr>\n");
        for (Map.Entry<String, Long> count : today.counts().entrySet()) {
            html.append("<tr><td>").append(escape(count.getKey())).append("</td><td>").append(count.getValue()).append("</td></tr>\n");
        }
        html.append("</table>\n<p class=\"note\">Re-bindings, refusals and device releases are this instance's; freeings by operators are"
                + " every instance's.</p>\n<h2>Recent freeings</h2>\n");
        auditTable(html, desk.recentAudit());
        return html.toString();
    }

    private String licensePage(String kid, ConsoleSessions.Session session, String freed) {
        SupportDesk.LicenseView license = desk.license(kid);
        StringBuilder html = new StringBuilder();
        notice(html, freed);
        html.append("<h2>License <code id=\"kid\">").append(escape(license.keyId().toString())).append("</code></h2>\n<dl>");
        html.append("<dt>Title</dt><dd id=\"title\">").append(escape(license.title().orElse("(not recorded)"))).append("</dd>");
        html.append("<dt>Issuer</dt><dd id=\"issuer\">").append(escape(license.issuer().orElse("(not recorded)"))).append("</dd>");
        html.append("<dt>Device limit</dt><dd id=\"limit\">").append(license.deviceLimit()).append("</dd>");
        html.append("<dt>Allowance left</dt><dd id=\"allowance\">").append(license.allowanceLeft()).append("</dd></dl>\n");
        html.append("<h2>Devices that hold it</h2>\n<table id=\"holders\"><tr><th>device</th><th>since</th><th>free its slot</th></tr>\n");
        for (SupportDesk.Holder holder : license.holders()) {
            html.append("<tr><td>").append(link("device", "id", holder.deviceId())).append("</td><td>").append(time(holder.since()))
                    .append("</td><td>")
                    .append("<form method=\"post\" class=\"free\" action=\"").append(PATH).append("free\">")
                    .append(hidden("csrf", session.csrfToken())).append(hidden("kid", license.keyId().toString()))
                    .append(hidden("device", holder.deviceId()))
                    .append("<input name=\"reason\" placeholder=\"reason\" maxlength=\"").append(SupportDesk.MAX_REASON_LENGTH)
                    .append("\" required> <button type=\"submit\">Free</button></form></td></tr>\n");
        }
        html.append("</table>\n<h2>Freeings of this license</h2>\n");
        auditTable(html, license.audit());
        return html.toString();
    }

    private String devicePage(String deviceId, ConsoleSessions.Session session, String freed) {
        SupportDesk.DeviceView device = desk.device(deviceId);
        StringBuilder html = new StringBuilder();
        notice(html, freed);
        html.append("<h2>Device <code id=\"device\">").append(escape(device.deviceId())).append("</code></h2>\n");
        html.append("<table id=\"licenses\"><tr><th>license</th><th>title</th><th>since</th></tr>\n");
        for (SupportDesk.Held held : device.licenses()) {
            html.append("<tr><td>").append(link("license", "kid", held.keyId().toString())).append("</td><td>")
                    .append(escape(held.title().orElse("")))
                    .append("</td><td>").append(time(held.since())).append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (!device.licenses().isEmpty()) {
            html.append("<form method=\"post\" class=\"free\" id=\"free-device\" action=\"").append(PATH).append("free-device\">")
                    .append(hidden("csrf", session.csrfToken())).append(hidden("device", device.deviceId()))
                    .append("<input name=\"reason\" placeholder=\"reason (e.g. the computer died)\" maxlength=\"")
                    .append(SupportDesk.MAX_REASON_LENGTH).append("\" required> <button type=\"submit\">Free all ")
                    .append(device.licenses().size()).append(" slots of this device</button></form>\n");
        }
        html.append("<h2>History</h2>\n");
        auditTable(html, device.history());
        return html.toString();
    }

    private static void notice(StringBuilder html, String freed) {
        if (freed != null && freed.matches("[0-9]{1,7}")) {
            html.append("<p class=\"notice\" id=\"notice\">Freed ").append(freed).append(freed.equals("1") ? " slot" : " slots")
                    .append("; the audit below shows it.</p>\n");
        }
    }

    private static void auditTable(StringBuilder html, List<SupportDesk.AuditEntry> entries) {
        html.append("<table id=\"audit\"><tr><th>#</th><th>when</th><th>operator</th><th>action</th><th>device</th><th>license</th>"
                + "<th>reason</th></tr>\n");
        for (SupportDesk.AuditEntry entry : entries) {
            html.append("<tr><td>").append(entry.id()).append("</td><td>").append(TIME.format(entry.at())).append("</td><td>")
                    .append(escape(entry.operator())).append("</td><td>").append(entry.action()).append("</td><td>")
                    .append(escape(entry.deviceId())).append("</td><td>").append(escape(entry.keyId().toString())).append("</td><td>")
                    .append(escape(entry.reason())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String loginPage(String next, String error) {
        return page("Log in", "<h1>License support: log in</h1>\n" + (error == null ? "" : "<p class=\"error\" id=\"error\">"
                + escape(error) + "</p>\n") + "<form method=\"post\" id=\"login\" action=\"" + PATH + "login\">"
                + hidden("next", safeNext(next)) + "<label>Name <input name=\"name\" autocomplete=\"username\" required></label> "
                + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label> "
                + "<button type=\"submit\">Log in</button></form>\n");
    }

    private static String layout(String title, ConsoleSessions.Session session, String body) {
        return page(title, "<header><a href=\"" + PATH + "\">License support</a>"
                + " <form method=\"get\" action=\"" + PATH + "license\"><input name=\"kid\" placeholder=\"key ID\"> <button>Open license</button></form>"
                + " <form method=\"get\" action=\"" + PATH + "device\"><input name=\"id\" placeholder=\"device ID\"> <button>Open device</button></form>"
                + " <form method=\"post\" action=\"" + PATH + "logout\">" + hidden("csrf", session.csrfToken())
                + "<button id=\"logout\">Log out " + escape(session.operator()) + "</button></form></header>\n<main>" + body + "</main>\n");
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + "<script src=\"" + PATH + "console.js\" defer></script></head>\n<body>\n" + body + "</body></html>\n";
    }

    // Plumbing

    private void script(Response response, Callback callback) throws IOException {
        byte[] script;
        try (InputStream in = SupportConsole.class.getResourceAsStream("console.js")) {
            script = in.readAllBytes();
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        write(response, callback, 200, "text/javascript; charset=utf-8", script);
    }

    /** Whether a POST's Origin (or, without one, Referer) is this console's own host, as browsers send it. */
    private static boolean sameOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            origin = request.getHeaders().get(HttpHeader.REFERER);
        }
        if (origin == null) {
            return true; // not a browser's cross-site form: the CSRF token still has to match
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host)
                || origin.startsWith("http://" + host + "/") || origin.startsWith("https://" + host + "/"));
    }

    private static String cookie(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** Where to go after logging in: a console page, never another site. */
    private static String safeNext(String next) {
        return next != null && next.startsWith(PATH) && !next.startsWith("//") && !next.contains("\\") && next.chars().allMatch(c -> c > 0x20)
                ? next : PATH;
    }

    private static void redirect(Request request, Response response, Callback callback, String location) {
        Response.sendRedirect(request, response, callback, 303, location, true);
    }

    private static void html(Response response, Callback callback, int status, String html) {
        write(response, callback, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void text(Response response, Callback callback, int status, String text) {
        write(response, callback, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put("Content-Security-Policy", SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "same-origin");
        if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A link to the console's {@code page} for {@code value}, which it shows. */
    private static String link(String page, String parameter, String value) {
        return "<a href=\"" + PATH + page + "?" + parameter + "=" + escape(encode(value)) + "\">" + escape(value) + "</a>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">";
    }

    private static String time(Optional<Instant> time) {
        return time.map(TIME::format).orElse("(before times were kept)");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String shown(String name) {
        return name == null ? "(no name)" : name.length() > 64 ? name.substring(0, 64) + "..." : name.replaceAll("\\p{Cntrl}", "?");
    }
}
