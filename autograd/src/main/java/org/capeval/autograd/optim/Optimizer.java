package org.capeval.autograd.optim;

import java.util.ArrayList;
import java.util.List;
import org.capeval.autograd.Tensor;
import org.capeval.autograd.nn.Parameters;

/** Updates parameters from their .grad. Parameters whose .grad is null are skipped, as in torch. */
public abstract class Optimizer {
    protected final List<Tensor> params;

    protected Optimizer(List<Tensor> params) {
        this.params = new ArrayList<>(params);
    }

    public List<Tensor> parameters() {
        return params;
    }

    /** One update, done without recording (parameters stay requires-grad leaves). */
    public abstract void step();

    /** Sets every .grad to null (torch 2.x default; tells "no gradient" apart from a zero one). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** {@code setToNull=false} fills existing grads with zeros in place (torch 1.13's default). */
    public void zeroGrad(boolean setToNull) {
        Parameters.zeroGrad(params, setToNull);
    }
}
