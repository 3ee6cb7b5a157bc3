/**
 * The SSS training engine: configuration ({@link io.github.sssfiji.sss.train.TrainingConfig}), data
 * in memory ({@link io.github.sssfiji.sss.train.TrainingData}), batches
 * ({@link io.github.sssfiji.sss.train.BatchSampler}), one iteration
 * ({@link io.github.sssfiji.sss.train.TrainingStep}), the loop with validation, checkpoints and
 * resume ({@link io.github.sssfiji.sss.train.Trainer}).
 * <p>
 * Choices where the SSS design leaves room, so that they can be revisited with measurements:
 * </p>
 * <ul>
 * <li>DFE's reference for a strong view is the other strong view's student features, detached
 * ({@code dfeReference} {@code strong}); with {@code weak} it is the EMA teacher's encoder features
 * of the weak view, CutMixed with the strong view's box at each level so that both views show the
 * same content (the design's reading, which measured worse on ACDC).</li>
 * <li>CutMix mixes within the unlabelled batch, slice i with slice n - 1 - i (UniMatch V2's
 * {@code flip(0)}), with an independent box per slice and view (probability 0.5).</li>
 * <li>PCSW-rejected pixels and the padding of zoomed-out views are ignored (label 255): they leave
 * the unlabelled loss entirely, numerator and denominator, as UniMatch treats padding. Pixels below
 * the confidence threshold have weight 0 but stay in the cross-entropy denominator, as in UniMatch.</li>
 * <li>ACDC's training slices ({@code <volume>_slice_<k>.h5}) are grouped back into volumes so that
 * PCSW sees neighbouring slices; single-slice volumes skip PCSW.</li>
 * <li>The weak transform draws the dihedral element (transpose, flip x, flip y) uniformly instead of
 * UniMatch's rot90-then-flip, samples images bilinearly (labels and masks by nearest pixel), and adds
 * a random zoom in [{@code minScale}, {@code maxScale}] (default 0.9-1.1) with a random crop.</li>
 * <li>Randomness of iteration t is a pure function of (seed, t): the sampler, augmentations, CutMix
 * boxes and dropout masks use {@link io.github.sssfiji.sss.augment.Rng#forIteration}, and libtorch's
 * generator (encoder dropout) is reseeded each step. Resuming therefore needs no generator state
 * beyond the iteration count, and a resumed run repeats the uninterrupted run's iterations.</li>
 * <li>Semi-supervised runs validate the EMA teacher and the student and save the better one
 * ({@code validate} {@code both}, as UniMatch V2 evaluates both); supervised runs the student. The
 * poly learning-rate decay and the unlabelled-loss ramp follow the further of iterations and
 * wall-clock budget ({@link io.github.sssfiji.sss.train.Schedule}).</li>
 * </ul>
 */
package io.github.sssfiji.sss.train;
