/**
 * The network toolkit every SSS network is built from: {@link io.github.sssfiji.nn.ModelState}, the
 * one registry of a network's parameters and buffers under their official (PyTorch state_dict) names,
 * layers over it such as {@link io.github.sssfiji.nn.Conv2d} and {@link io.github.sssfiji.nn.BatchNorm2d},
 * and {@link io.github.sssfiji.nn.Ops}, the libtorch operators called with PyTorch's own conventions.
 * A layer is a plain class holding the arrays it registered; its {@code forward} is the function of
 * its PyTorch counterpart.
 */
package io.github.sssfiji.nn;
