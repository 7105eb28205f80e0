package org.licensebackup.lms.protocol;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error answer's body: {@code {"error":"CODE","message":"..."}}, JSON because operators read it
 * in logs and with curl. Written and read here only, so a tiny encoder serves; a body that is not of
 * this form reads as {@link ErrorCode#INTERNAL}.
 *
 * @param code the error's code
 * @param message what went wrong, for people
 */
public record ErrorBody(ErrorCode code, String message) {

    private static final int MAX_MESSAGE_CHARS = 1024;
    private static final Pattern FORM = Pattern.compile(
            "\\{\"error\":\"([A-Z_]+)\",\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"\\}");

    public ErrorBody {
        message = message == null ? "" : message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
    }

    public byte[] encode() {
        return ("{\"error\":\"" + code.name() + "\",\"message\":\"" + escape(message) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    public static ErrorBody decode(byte[] body) {
        if (body.length > 4 * MAX_MESSAGE_CHARS + 64) {
            return new ErrorBody(ErrorCode.INTERNAL, "an error body of " + body.length + " bytes");
        }
        Matcher matcher = FORM.matcher(new String(body, StandardCharsets.UTF_8));
        if (!matcher.matches()) {
            return new ErrorBody(ErrorCode.INTERNAL, "an error body not of the protocol's form");
        }
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(matcher.group(1));
        } catch (IllegalArgumentException unknown) {
            code = ErrorCode.INTERNAL;
        }
        return new ErrorBody(code, unescape(matcher.group(2)));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                if (next == 'u' && i + 4 < text.length()) {
                    try {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                        i += 4;
                        continue;
                    } catch (NumberFormatException e) {
                        out.append('?');
                        continue;
                    }
                }
                out.append(next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
