package io.berth.control.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FilterPatternTest {

    private static boolean matches(String pattern, String message) {
        return FilterPattern.parse(pattern).matches(message);
    }

    private static void assertInvalid(String pattern) {
        assertThatThrownBy(() -> FilterPattern.parse(pattern))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterException");
                    assertThat(e.getMessage()).startsWith("Invalid filter pattern");
                });
    }

    @Nested
    class Terms {

        @Test
        void anEmptyOrBlankPatternMatchesEveryEvent() {
            assertThat(matches(null, "anything")).isTrue();
            assertThat(matches("", "anything")).isTrue();
            assertThat(matches("   ", "")).isTrue();
        }

        @Test
        void aTermIsFoundAnywhereInTheMessageAndCaseMatters() {
            assertThat(matches("ERROR", "[ERROR] disk full")).isTrue();
            assertThat(matches("ERROR", "ERRORS: 3")).isTrue();
            assertThat(matches("ERROR", "error: disk full")).isFalse();
        }

        @Test
        void everyPlainTermMustBeFound() {
            assertThat(matches("ERROR disk", "ERROR: disk full")).isTrue();
            assertThat(matches("ERROR disk", "ERROR: memory")).isFalse();
        }

        @Test
        void aQuotedPhraseIsFoundWholeWithItsSpacesAndEscapes() {
            assertThat(matches("\"Connection refused\"", "dial: Connection refused (111)")).isTrue();
            assertThat(matches("\"Connection refused\"", "refused Connection")).isFalse();
            assertThat(matches("\"say \\\"hi\\\"\"", "they say \"hi\" twice")).isTrue();
            assertThat(matches("\"a:b {c}\"", "x a:b {c} y")).isTrue();
        }

        @Test
        void aMinusTermExcludesTheEventsThatHaveIt() {
            assertThat(matches("ERROR -Exiting", "ERROR retrying")).isTrue();
            assertThat(matches("ERROR -Exiting", "ERROR Exiting now")).isFalse();
            assertThat(matches("-\"health check\"", "GET /health")).isTrue();
            assertThat(matches("-\"health check\"", "health check ok")).isFalse();
        }

        @Test
        void questionMarkTermsNeedOneOfThem() {
            assertThat(matches("?ERROR ?WARN", "WARN low disk")).isTrue();
            assertThat(matches("?ERROR ?WARN", "ERROR failed")).isTrue();
            assertThat(matches("?ERROR ?WARN", "INFO started")).isFalse();
            assertThat(matches("?ERROR ?WARN -retry", "WARN retry later")).isFalse();
        }

        @Test
        void aLoneMinusOrQuestionMarkIsATerm() {
            assertThat(matches("a - b", "a - b")).isTrue();
            assertThat(matches("a - b", "a b")).isFalse();
        }

        @Test
        void theRequiredTextsNameWhatEveryMatchContains() {
            assertThat(FilterPattern.parse("ERROR \"disk full\" -x ?a ?b").requiredTexts())
                    .containsExactly(List.of("ERROR"), List.of("disk full"), List.of("a", "b"));
            assertThat(FilterPattern.parse("-x").requiredTexts()).isEmpty();
            assertThat(FilterPattern.parse("{ $.a = 1 }").requiredTexts()).isEmpty();
        }

        @Test
        void unbalancedQuotesAndUnquotedBracesAreRefused() {
            assertInvalid("\"never closed");
            assertInvalid("ERROR\"x\"");
            assertInvalid("a}b");
            assertInvalid("\"\"");
        }
    }

    @Nested
    class Regex {

        @Test
        void aRegexBetweenPercentSignsIsFoundAnywhere() {
            assertThat(matches("%5\\d\\d%", "GET / 503")).isTrue();
            assertThat(matches("%5\\d\\d%", "GET / 200")).isFalse();
            assertThat(matches("%^INFO%", "INFO up")).isTrue();
            assertThat(matches("%^INFO%", "x INFO")).isFalse();
        }

        @Test
        void parenthesesAndBadExpressionsAreRefused() {
            assertInvalid("%(a|b)%");
            assertInvalid("%[a%");
        }
    }

    @Nested
    class Json {

        private static final String EVENT = "{\"level\":\"error\",\"ms\":250,\"user\":{\"id\":7,\"name\":\"Ann\"},"
                + "\"items\":[{\"sku\":\"A-1\"},{\"sku\":\"B-2\"}],\"ok\":false,\"trace\":null,\"tags\":[\"x\",\"y\"]}";

        @Test
        void stringsCompareWholeAndStarMatchesAnyCharacters() {
            assertThat(matches("{ $.level = \"error\" }", EVENT)).isTrue();
            assertThat(matches("{ $.level = \"err\" }", EVENT)).isFalse();
            assertThat(matches("{ $.level = \"err*\" }", EVENT)).isTrue();
            assertThat(matches("{ $.level = \"*ro*\" }", EVENT)).isTrue();
            assertThat(matches("{ $.level = error }", EVENT)).isTrue();
            assertThat(matches("{ $.level != \"info\" }", EVENT)).isTrue();
            assertThat(matches("{ $.level != \"error\" }", EVENT)).isFalse();
        }

        @Test
        void numbersCompareByValue() {
            assertThat(matches("{ $.ms > 100 }", EVENT)).isTrue();
            assertThat(matches("{ $.ms >= 250 }", EVENT)).isTrue();
            assertThat(matches("{ $.ms < 250 }", EVENT)).isFalse();
            assertThat(matches("{ $.ms <= 2.5e2 }", EVENT)).isTrue();
            assertThat(matches("{ $.ms = 250.0 }", EVENT)).isTrue();
            assertThat(matches("{ $.ms != 250 }", EVENT)).isFalse();
            assertThat(matches("{ $.level > 1 }", EVENT)).isFalse();
        }

        @Test
        void conditionsJoinWithAndOrAndParentheses() {
            assertThat(matches("{ $.level = \"error\" && $.ms > 100 }", EVENT)).isTrue();
            assertThat(matches("{ $.level = \"error\" && $.ms > 1000 }", EVENT)).isFalse();
            assertThat(matches("{ $.ms > 1000 || $.user.id = 7 }", EVENT)).isTrue();
            assertThat(matches("{ $.ms > 1000 && $.ms > 0 || $.ok IS FALSE }", EVENT)).isTrue();
            assertThat(matches("{ $.ms > 1000 && ($.ms > 0 || $.ok IS FALSE) }", EVENT)).isFalse();
            assertThat(matches("{ ($.user.id = 7) && ($.user.name = \"Ann\") }", EVENT)).isTrue();
        }

        @Test
        void selectorsReachNestedMembersAndArrayElements() {
            assertThat(matches("{ $.items[1].sku = \"B-2\" }", EVENT)).isTrue();
            assertThat(matches("{ $.items[0].sku = \"B-2\" }", EVENT)).isFalse();
            assertThat(matches("{ $.items[*].sku = \"B-2\" }", EVENT)).isTrue();
            assertThat(matches("{ $.tags[0] = \"x\" }", EVENT)).isTrue();
            assertThat(matches("{ $.items[5].sku = \"B-2\" }", EVENT)).isFalse();
        }

        @Test
        void isTrueFalseNullAndNotExistsTestTheValueItself() {
            assertThat(matches("{ $.ok IS FALSE }", EVENT)).isTrue();
            assertThat(matches("{ $.ok IS TRUE }", EVENT)).isFalse();
            assertThat(matches("{ $.trace IS NULL }", EVENT)).isTrue();
            assertThat(matches("{ $.level IS NULL }", EVENT)).isFalse();
            assertThat(matches("{ $.missing NOT EXISTS }", EVENT)).isTrue();
            assertThat(matches("{ $.trace NOT EXISTS }", EVENT)).isFalse();
        }

        @Test
        void aMissingMemberMatchesNoComparison() {
            assertThat(matches("{ $.missing = \"x\" }", EVENT)).isFalse();
            assertThat(matches("{ $.missing != \"x\" }", EVENT)).isFalse();
            assertThat(matches("{ $.missing > 1 }", EVENT)).isFalse();
        }

        @Test
        void aRegexValueIsFoundInTheString() {
            assertThat(matches("{ $.user.name = %^A.n$% }", EVENT)).isTrue();
            assertThat(matches("{ $.user.name != %^B% }", EVENT)).isTrue();
        }

        @Test
        void aMessageThatIsNotJsonMatchesNothing() {
            assertThat(matches("{ $.level = \"error\" }", "level=error")).isFalse();
            assertThat(matches("{ $.level = \"error\" }", "\"error\"")).isFalse();
            assertThat(matches("{ $.a NOT EXISTS }", "not json at all")).isFalse();
        }

        @Test
        void badSyntaxIsRefused() {
            assertInvalid("{ $.a = }");
            assertInvalid("{ $.a = 1");
            assertInvalid("{ a = 1 }");
            assertInvalid("{ $ = 1 }");
            assertInvalid("{ $.a ~ 1 }");
            assertInvalid("{ $.a = 1 } x");
            assertInvalid("{ $.a < \"x\" }");
            assertInvalid("{ $.a IS MAYBE }");
            assertInvalid("{ $.a[x] = 1 }");
            assertInvalid("{ ($.a = 1 }");
            assertInvalid("{ $.a = \"open }");
        }
    }

    @Test
    void spaceDelimitedPatternsAreRefusedAsUnsupported() {
        assertInvalid("[ip, user, status=404]");
    }
}
