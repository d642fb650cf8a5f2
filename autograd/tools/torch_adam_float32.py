#!/usr/bin/python3
"""torch.optim.Adam on float32 parameters (Debian python3-torch 1.13, CPU, its default
single-tensor implementation): the parameters and the float32 state after every step, for
AdamFloat32Test to match bit for bit:

    /usr/bin/python3 autograd/tools/torch_adam_float32.py autograd/src/test/resources/autograd/adam-float32.json

Each case: Adam's settings, float32 parameters, and per step the gradient given to each parameter
(null: no .grad, so the parameter takes no step), then what torch holds after step():
the parameters, exp_avg and exp_avg_sq (null before a parameter's first step).
"""
import json, sys
import torch
torch.set_num_threads(1)
G = torch.Generator().manual_seed(2026)

def L(t):
    return None if t is None else t.detach().reshape(-1).tolist()

SETTINGS = [
    dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0),
    dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    dict(lr=0.3, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.0),
]
cases = []
for k, s in enumerate(SETTINGS):
    shapes = [[6, 5], [7], [1]]
    params = [(torch.randn(sh, generator=G) * 2).requires_grad_() for sh in shapes]
    case = {"id": "adam_f32_%d" % k, "lr": s["lr"], "beta1": s["betas"][0], "beta2": s["betas"][1], "eps": s["eps"],
            "weight_decay": s["weight_decay"], "params": [{"shape": sh, "data": L(p)} for sh, p in zip(shapes, params)], "steps": []}
    opt = torch.optim.Adam(params, **s)
    for step in range(6):
        grads = []
        for j, p in enumerate(params):
            # the last parameter skips step 2; gradients of several scales, some tiny (v near eps)
            g = None if (j == 2 and step == 2) else torch.randn(p.shape, generator=G) * [1.0, 1e-3, 30.0][j]
            p.grad = g
            grads.append(L(g))
        opt.step()
        st = [opt.state[p] if p in opt.state else {} for p in params]
        case["steps"].append({"grads": grads, "expect_params": [L(p) for p in params],
                              "expect_exp_avg": [L(x.get("exp_avg")) for x in st],
                              "expect_exp_avg_sq": [L(x.get("exp_avg_sq")) for x in st]})
    cases.append(case)
json.dump({"generator": "autograd/tools/torch_adam_float32.py", "torch_version": torch.__version__, "cases": cases},
          open(sys.argv[1], "w"))
print(len(cases), "cases")
