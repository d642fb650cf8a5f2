#!/usr/bin/env python3
"""PyTorch side of bench/autograd-vs-torch.sh: the same workloads as the Java harness
(autograd/src/test/java/org/capeval/autograd/bench/AutogradBenchmark.java), same sizes, warm-up and
number of timed runs, one thread. Prints one line per workload: "<name> <median ms> <min ms>"."""
import sys
import time

import torch

torch.set_num_threads(1)


LAST_MIN = [0.0]  # fastest timed run of the last median_ms call (less sensitive to other load)


def median_ms(body, warmup, runs):
    for _ in range(warmup):
        body()
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        body()
        t.append((time.perf_counter() - s) * 1e3)
    t.sort()
    LAST_MIN[0] = t[0]
    return t[runs // 2]


def mlp_step(dtype):
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(128, 784, dtype=dtype)
    y = torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return median_ms(step, 300, 201)


def logistic_pass(dtype):
    rows, d, chunk = 1_000_000, 100, 10_000
    torch.manual_seed(2)
    xs = [torch.randn(chunk, d, dtype=dtype) for _ in range(rows // chunk)]
    ys = [torch.randint(0, 2, (chunk, 1)).to(dtype) for _ in range(rows // chunk)]
    w = (torch.rand(1, d, dtype=dtype) * 0.2 - 0.1).requires_grad_()
    b = torch.zeros(1, dtype=dtype, requires_grad=True)

    def run():
        w.grad = None
        b.grad = None
        for x, y in zip(xs, ys):
            p = torch.nn.functional.linear(x, w, b).sigmoid()
            # binary cross-entropy written with basic ops, summed over the chunk (as the Java harness)
            loss = (y * p.log() + (1 - y) * (1 - p).log()).sum().neg()
            loss.backward()
    return median_ms(run, 3, 7)


def elementwise():
    torch.manual_seed(3)
    a = (torch.rand(1000, 1000, dtype=torch.float64) + 0.5).requires_grad_()
    b = (torch.rand(1000, 1000, dtype=torch.float64) + 0.5).requires_grad_()

    def run():
        a.grad = None
        b.grad = None
        r = (((a * b + a).exp() - b).tanh() * a).sigmoid() / b
        r.sum().backward()
    return median_ms(run, 30, 21)


WORKLOADS = {
    "mlp-f64": lambda: mlp_step(torch.float64),
    "mlp-f32": lambda: mlp_step(torch.float32),
    "logistic-f64": lambda: logistic_pass(torch.float64),
    "logistic-f32": lambda: logistic_pass(torch.float32),
    "elementwise-f64": elementwise,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(WORKLOADS)
    for n in names:
        median = WORKLOADS[n]()
        print(f"{n} {median:.3f} {LAST_MIN[0]:.3f}", flush=True)
