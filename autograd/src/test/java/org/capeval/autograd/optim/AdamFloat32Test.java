package org.capeval.autograd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.capeval.autograd.DType;
import org.capeval.autograd.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Adam on float32 parameters against torch 1.13 (autograd/tools/torch_adam_float32.py): after
 * every step the parameters, exp_avg and exp_avg_sq bit for bit, also after the state is carried
 * over into a new optimizer halfway.
 */
class AdamFloat32Test {

    @Test
    void float32StepsAndStateAsTorch() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/autograd/adam-float32.json")) {
            assertTrue(in != null, "adam-float32.json missing from test resources");
            root = new ObjectMapper().readTree(in);
        }
        int checked = 0;
        for (JsonNode c : root.get("cases")) {
            String id = c.get("id").asText();
            List<Tensor> params = new ArrayList<>();
            for (JsonNode p : c.get("params")) params.add(Tensor.of(doubles(p.get("data")), ints(p.get("shape")), DType.FLOAT32).requiresGrad_(true));
            Adam opt = adam(c, params);
            int step = 0;
            for (JsonNode s : c.get("steps")) {
                if (step == 3) { // a fresh optimizer continues from the saved state (torch's load_state_dict)
                    Adam fresh = adam(c, params);
                    fresh.loadState(opt.state());
                    opt = fresh;
                }
                for (int j = 0; j < params.size(); j++) {
                    JsonNode g = s.get("grads").get(j);
                    params.get(j).setGrad(g.isNull() ? null : Tensor.of(doubles(g), params.get(j).shape(), DType.FLOAT32));
                }
                opt.step();
                String at = id + " step " + step;
                OptimizerState state = opt.state();
                int offset = 0;
                for (int j = 0; j < params.size(); j++) {
                    Tensor p = params.get(j);
                    assertFloatsEqual(s.get("expect_params").get(j), p.toFloatArray(), 0, at + " param " + j);
                    assertFloatsEqual(s.get("expect_exp_avg").get(j), state.buffers().get("exp_avg"), offset, at + " exp_avg " + j);
                    assertFloatsEqual(s.get("expect_exp_avg_sq").get(j), state.buffers().get("exp_avg_sq"), offset, at + " exp_avg_sq " + j);
                    offset += p.numel();
                    checked++;
                }
                step++;
            }
        }
        assertEquals(54, checked, "3 cases x 6 steps x 3 parameters");
    }

    private static Adam adam(JsonNode c, List<Tensor> params) {
        return new Adam(params, c.get("lr").asDouble(), c.get("beta1").asDouble(), c.get("beta2").asDouble(),
                c.get("eps").asDouble(), c.get("weight_decay").asDouble());
    }

    /** {@code expected} (null: no buffer yet, zeros in the state) against floats (or float-valued doubles) from {@code offset}. */
    private static void assertFloatsEqual(JsonNode expected, Object actual, int offset, String what) {
        int n = expected.isNull() ? 0 : expected.size();
        for (int i = 0; i < n; i++) {
            float e = (float) expected.get(i).asDouble();
            double a = actual instanceof float[] ? ((float[]) actual)[offset + i] : ((double[]) actual)[offset + i];
            assertEquals((double) e, a, 0.0, what + " element " + i);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asDouble();
        return r;
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }
}
