package io.berth.agent.logs;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code awslogs-datetime-format}: a strftime-like format, with the directives Docker's {@code awslogs} driver
 * knows, turned into a pattern a line must start with to begin a new event.
 */
final class DatetimeFormats {

    private static final Map<Character, String> DIRECTIVES = Map.ofEntries(
            Map.entry('a', "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"),
            Map.entry('A', "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"),
            Map.entry('w', "[0-6]"),
            Map.entry('d', "(?:0[1-9]|[12][0-9]|3[01])"),
            Map.entry('b', "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),
            Map.entry('B', "(?:January|February|March|April|May|June|July|August|September|October|November|December)"),
            Map.entry('m', "(?:0[1-9]|1[0-2])"),
            Map.entry('Y', "\\d{4}"),
            Map.entry('y', "\\d{2}"),
            Map.entry('H', "(?:[01][0-9]|2[0-3])"),
            Map.entry('I', "(?:0[0-9]|1[0-2])"),
            Map.entry('p', "[AP]M"),
            Map.entry('M', "[0-5][0-9]"),
            Map.entry('S', "[0-5][0-9]"),
            Map.entry('f', "\\d{6}"),
            Map.entry('L', "\\.\\d{3}"),
            Map.entry('z', "[+-]\\d{4}"),
            Map.entry('Z', "[A-Z]{1,4}T"),
            Map.entry('j', "(?:00[1-9]|0[1-9][0-9]|[12][0-9][0-9]|3[0-5][0-9]|36[0-6])"),
            Map.entry('%', "%"));

    private DatetimeFormats() {
    }

    /** The pattern of a line that starts with a date written in {@code format}. */
    static Pattern startOfLine(String format) {
        StringBuilder regex = new StringBuilder("^");
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            String directive = c == '%' && i + 1 < format.length() ? DIRECTIVES.get(format.charAt(i + 1)) : null;
            if (directive != null) {
                regex.append(directive);
                i++;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
