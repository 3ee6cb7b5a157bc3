/**
 * PCSW (Physical Constraints with a Sliding Window): filters a volume's per-slice pseudo-masks by continuity
 * along z and makes SAM-2 prompts (a box and a click per kept slice) from what survives. Entry point:
 * {@link io.github.sssfiji.sss.pcsw.Pcsw}; thresholds: {@link io.github.sssfiji.sss.pcsw.PcswParameters}; prompt files:
 * {@link io.github.sssfiji.sss.pcsw.PromptsJson}.
 */
package io.github.sssfiji.sss.pcsw;
