package io.khabar.analysis;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.fa.PersianNormalizationFilter;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The analysis components of Khabar's index template that a minimal Elasticsearch build lacks:
 * the {@code mapping} char filter and the {@code decimal_digit}, {@code arabic_normalization} and
 * {@code persian_normalization} token filters, under the names and with the settings a full
 * Elasticsearch gives them, each wrapping the same Lucene class.
 *
 * <p>A classic analysis plugin rather than one on the stable plugin API: a custom normalizer takes
 * only filters that declare themselves normalizing, which the stable API's wrappers do not, and the
 * template's keyword normalizer uses three of these filters.
 */
public final class KhabarAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of("mapping", AnalysisPlugin.requiresAnalysisSettings(
            (indexSettings, environment, name, settings) -> new MappingCharFilter(name, settings.getAsList("mappings"))));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "decimal_digit", normalizing(DecimalDigitFilter::new),
            "arabic_normalization", normalizing(ArabicNormalizationFilter::new),
            "persian_normalization", normalizing(PersianNormalizationFilter::new));
    }

    private static AnalysisProvider<TokenFilterFactory> normalizing(UnaryOperator<TokenStream> filter) {
        return (indexSettings, environment, name, settings) -> new NormalizingTokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream input) {
                return filter.apply(input);
            }
        };
    }
}
