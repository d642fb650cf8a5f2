package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The seed tutorial's numbers (autograd-semantics.md §1). */
class TutorialTest {

    @Test
    void tutorialMeanOfSquares() {
        Tensor x = Tensor.ones(2, 2).requiresGrad_(true);
        Tensor y = x.add(2);
        assertEquals("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)", y.toString());
        Tensor z = y.mul(y).mul(3);
        assertEquals("MulBackward0", z.gradFn().name());
        Tensor out = z.mean();
        assertEquals("tensor(27., grad_fn=<MeanBackward0>)", out.toString());
        assertEquals(27.0, out.item());
        assertNull(x.grad());
        out.backward();
        assertArrayEquals(new double[] {4.5, 4.5, 4.5, 4.5}, x.grad().toArray());
        assertEquals("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])", x.grad().toString());
        // the graph is freed: a second backward through MulBackward0's saved values fails and leaves .grad alone
        AutogradException e = assertThrows(AutogradException.class, out::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"));
        assertArrayEquals(new double[] {4.5, 4.5, 4.5, 4.5}, x.grad().toArray());
    }

    @Test
    void retainGraphAccumulates() {
        Tensor x = Tensor.ones(2, 2).requiresGrad_(true);
        Tensor y = x.mul(x).mul(3);
        y.backward(Tensor.ones(2, 2), true);
        assertArrayEquals(new double[] {6, 6, 6, 6}, x.grad().toArray());
        Tensor before = x.grad();
        y.backward(Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
        assertArrayEquals(new double[] {12, 18, 24, 30}, x.grad().toArray());
        assertTrue(before == x.grad(), "accumulation is in place");
    }

    @Test
    void officialTutorialEye() {
        Tensor inp = Tensor.eye(4, 5).requiresGrad_(true);
        Tensor out = inp.add(1).pow(2).t();
        out.backward(Tensor.onesLike(out), true);
        double[] first = inp.grad().toArray();
        for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) assertEquals(i == j ? 4 : 2, first[i * 5 + j]);
        out.backward(Tensor.onesLike(out), true);
        for (int i = 0; i < 20; i++) assertEquals(2 * first[i], inp.grad().toArray()[i]);
        inp.grad().zero_();
        out.backward(Tensor.onesLike(out), true);
        assertArrayEquals(first, inp.grad().toArray());
    }

    @Test
    void exampleMainRuns() {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        try {
            org.capeval.autograd.examples.Tutorial.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String text = buf.toString();
        assertTrue(text.contains("out = z.mean() = tensor(27., grad_fn=<MeanBackward0>)"), text);
        assertTrue(text.contains("x.grad = tensor([[4.5000, 4.5000],"), text);
        assertTrue(text.contains("tensor([[12., 18.],\n        [24., 30.]])"), text);
    }
}
