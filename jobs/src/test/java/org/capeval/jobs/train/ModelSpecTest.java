package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void parsesTheThreeKinds() {
        ModelSpec lr = ModelSpec.parse("logistic:100");
        assertArrayEquals(new int[] {100, 1}, lr.layerSizes());
        assertEquals(101, lr.numParams());
        assertEquals(2, lr.numClasses());
        assertEquals("logistic:100:ce", lr.canonical());

        ModelSpec sm = ModelSpec.parse("softmax:4-3:mse");
        assertEquals(ModelSpec.Loss.MSE, sm.loss());
        assertEquals(4 * 3 + 3, sm.numParams());

        ModelSpec mlp = ModelSpec.parse("mlp:100-64-2");
        assertEquals(100 * 64 + 64 + 64 * 2 + 2, mlp.numParams());
        assertEquals(100 * 64 + 64, mlp.weightOffset(1));
        assertTrue(ModelSpec.parse("mlp:3-4-1:mse").isRegression());
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertMessage("mlp:100-x-2", "layer size 'x' is not an integer");
        assertMessage("tree:3", "unknown model kind 'tree'");
        assertMessage("softmax:10-1", "at least 2 classes");
        assertMessage("mlp:10-2", "at least FEATURES-HIDDEN-OUTPUTS");
        assertMessage("logistic:10:hinge", "unknown loss 'hinge'");
        assertMessage("logistic", "expected KIND:SIZES");
        assertMessage("logistic:0", "must be at least 1");
    }

    @Test
    void labelsAreCheckedAgainstTheModel() {
        ModelSpec lr = ModelSpec.parse("logistic:2");
        assertNull(lr.checkLabel(1));
        assertTrue(lr.checkLabel(2).contains("out of range"));
        assertTrue(lr.checkLabel(-1).contains("expected an integer class 0..1"));
        assertTrue(lr.checkLabel(0.5).contains("out of range"));
        assertTrue(lr.checkLabel(Double.NaN).contains("not a finite number"));
        assertNull(ModelSpec.parse("mlp:2-3-1:mse").checkLabel(-7.25));
    }

    private static void assertMessage(String spec, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(spec));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains("'" + spec + "'"), e.getMessage());
    }
}
