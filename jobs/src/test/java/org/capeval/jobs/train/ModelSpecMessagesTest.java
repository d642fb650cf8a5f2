package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A --model value that does not parse is described as given, never as "layer size ''". */
class ModelSpecMessagesTest {
    private static String why(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(spec)).getMessage();
    }

    @Test
    void sayWhatIsWrongWithTheValueGiven() {
        String rule = " (sizes are positive integers joined by '-', e.g. logistic:100, mlp:100-64-2)";
        assertEquals("--model 'logistic:-3' does not parse: layer size -3 is negative" + rule, why("logistic:-3"));
        assertEquals("--model 'mlp:4--3-1' does not parse: layer size -3 is negative" + rule, why("mlp:4--3-1"));
        assertEquals("--model 'mlp:4-3-' does not parse: '4-3-' has an empty layer size" + rule, why("mlp:4-3-"));
        assertEquals("--model 'logistic:' does not parse: no sizes after 'logistic:'" + rule, why("logistic:"));
        assertEquals("--model 'logistic:3.5' does not parse: layer size '3.5' is not an integer", why("logistic:3.5"));
        assertEquals("--model 'logistic:99999999999' does not parse: layer size '99999999999' is not an integer below 2^31",
                why("logistic:99999999999"));
        assertEquals("--model 'logistic:0' does not parse: layer size 0 must be at least 1", why("logistic:0"));
        assertEquals("--model 'mlp:3-two-1' does not parse: layer size 'two' is not an integer", why("mlp:3-two-1"));
    }
}
