"""NumPy's own numbers for the OBE core's update and moments (docs/OBE-NUMERICS.md).

Reads a JSON list of cases on stdin and writes one JSON object per case on stdout. Every array
travels as base64 of little-endian float64 bytes, so no value is rounded on the way.

A case: particles (D x N), weights (or null for uniform 1/N), model ("linear": a + b*x;
"linear2": [a + b*x, b - a*x]; "lorentzian": 1 - A / (((f - f0)*2/lw)**2 + 1)), settings, y,
sigma (null when noise_index is given), noise_index (per-channel row of each particle's sigma, or
null), choke (or null).

The formulas are the spec's, written as the original writes them in NumPy (spec §2.5, §1.5, §1):
likelihood = prod_c exp(-((y_model_c - y_c)/sigma_c)**2 / 2) / sigma_c, then ** choke;
tmp = nan_to_num(w * L); w' = nan_to_num(tmp / np.sum(tmp)); mean = np.average(particles, axis=1,
weights=w'); covariance with np.cov's aweights/ddof=1 operations, the product summed by np.sum
("cov"), and np.cov itself, whose product goes through BLAS ("np_cov"); std = sqrt(S_dd / sum(w)),
the port's centred population std (B6), S the covariance's numerator.
"""

import base64
import json
import sys

import numpy as np


def decode(text):
    return np.frombuffer(base64.b64decode(text), dtype="<f8").astype(np.float64)


def encode(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f8").tobytes()).decode("ascii")


def model(name, settings, p):
    x = settings[0]
    if name == "linear":
        return [p[0] + p[1] * x]
    if name == "linear2":
        return [p[0] + p[1] * x, p[1] - p[0] * x]
    if name == "lorentzian":
        return [1 - p[1] / (((x - p[0]) * 2 / p[2]) ** 2 + 1)]
    raise ValueError(name)


def run(case):
    d = len(case["particles"])
    particles = np.stack([decode(row) for row in case["particles"]])
    n = particles.shape[1]
    w = np.ones(n) / n if case["weights"] is None else decode(case["weights"])
    y_model = model(case["model"], case["settings"], particles)
    ys = np.atleast_1d(case["y"])
    if case["noise_index"] is None:
        sigmas = [np.float64(s) for s in np.atleast_1d(case["sigma"])]
    else:
        sigmas = [particles[i] for i in case["noise_index"]]
    exp_args, exp_values = [], []
    likelihood = 1.0
    for y_m, y, s in zip(y_model, ys, sigmas):
        arg = -(((y_m - y) / s) ** 2) / 2
        e = np.exp(arg)
        exp_args.append(arg)
        exp_values.append(e)
        likelihood = likelihood * (e / s)
    pow_args = np.broadcast_to(likelihood, (n,)).copy()
    if case["choke"] is not None:
        likelihood = np.power(likelihood, case["choke"])
    likelihood = np.broadcast_to(likelihood, (n,)).copy()

    with np.errstate(all="ignore"):
        tmp = np.nan_to_num(w * likelihood)
        weights = np.nan_to_num(tmp / np.sum(tmp))
    mean = np.average(particles, axis=1, weights=weights)

    avg, w_sum = np.average(particles, axis=1, weights=weights, returned=True)
    w_sum = w_sum[0]
    fact = w_sum - 1 * np.sum(weights * weights) / w_sum
    centred = particles - avg[:, None]
    scaled = centred * weights
    cov = np.empty((d, d))
    for a in range(d):
        for b in range(d):
            cov[a, b] = np.sum(centred[a] * scaled[b])
    # The port's centred population std (B6) shares the covariance's numerator.
    std = np.sqrt(cov.diagonal() / w_sum)
    cov *= np.true_divide(1, fact)
    np_cov = np.cov(particles, aweights=weights).reshape(d, d)
    # The original's one-pass std, sqrt(sum w x^2 - (sum w x)^2), for the record (B6).
    one_pass_std = np.sqrt(np.sum(particles**2 * weights, axis=1) - np.sum(particles * weights, axis=1) ** 2)

    return {
        "likelihood": encode(likelihood),
        "exp_args": encode(np.concatenate(exp_args) if exp_args else np.zeros(0)),
        "exp_values": encode(np.concatenate(exp_values) if exp_values else np.zeros(0)),
        "pow_args": encode(pow_args),
        "weights": encode(weights),
        "mean": encode(mean),
        "std": encode(std),
        "cov": encode(cov.ravel()),
        "np_cov": encode(np_cov.ravel()),
        "one_pass_std": encode(one_pass_std),
        "numpy": np.__version__,
    }


def main():
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
