package io.khabar.analysis;

import java.io.Reader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;

/**
 * The {@code mapping} char filter: rules {@code "from => to"}, each side trimmed, then unescaped
 * ({@code \\uXXXX}, {@code \\n}, {@code \\t}, {@code \\r}, {@code \\b}, {@code \\f}, {@code \\\\}),
 * so that a rule can map to a space or to nothing, as in Elasticsearch's own.
 */
final class MappingCharFilter implements NormalizingCharFilterFactory {

    private static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    private final String name;
    private final NormalizeCharMap map;

    MappingCharFilter(String name, List<String> rules) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("mapping requires [mappings] to be configured");
        }
        this.name = name;
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            Matcher matcher = RULE.matcher(rule);
            if (!matcher.find()) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
            }
            String from = unescape(matcher.group(1).trim(), rule);
            if (from.isEmpty()) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]. Illegal mapping.");
            }
            builder.add(from, unescape(matcher.group(2).trim(), rule));
        }
        this.map = builder.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Reader create(Reader reader) {
        return new org.apache.lucene.analysis.charfilter.MappingCharFilter(map, reader);
    }

    private static String unescape(String text, String rule) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= text.length()) {
                throw new IllegalArgumentException("Invalid escaped char in [" + rule + "]");
            }
            char next = text.charAt(i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= text.length()) {
                        throw new IllegalArgumentException("Invalid escaped char in [" + rule + "]");
                    }
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
