import { Rng } from '../../core/rng.js';
import type { NeuralNetwork } from '../../model/network.js';

/**
 * Gym CartPole-v1 constants (gym/envs/classic_control/cartpole.py), after Barto, Sutton & Anderson
 * (1983). `length` is half the pole's length, as in Gym.
 */
export const CARTPOLE_V1 = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  length: 0.5,
  forceMag: 10.0,
  tau: 0.02,
  xThreshold: 2.4,
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  maxSteps: 500,
} as const;

const TOTAL_MASS = CARTPOLE_V1.massPole + CARTPOLE_V1.massCart;
const POLEMASS_LENGTH = CARTPOLE_V1.massPole * CARTPOLE_V1.length;

/**
 * The cart-pole system exactly as Gym's CartPole-v1 steps it: explicit Euler with τ = 0.02 s, a
 * force of ±10 N, and termination when |x| > 2.4 or |θ| > 12°. State is kept in double precision,
 * as Gym's Python floats are.
 *
 * @example
 * ```ts
 * const env = new CartPole();
 * let obs = env.reset(new Rng(0));
 * while (!env.done) obs = env.step(obs[2] > 0 ? 1 : 0);
 * env.steps; // episode return
 * ```
 */
export class CartPole {
  /** [x, ẋ, θ, θ̇] in Gym's order. */
  readonly state = new Float64Array(4);
  /** Steps taken in this episode (= the episode's return: reward 1 per step, terminal step included). */
  steps = 0;
  /** True once the pole fell, the cart left the track, or `maxSteps` were taken. */
  done = false;

  /** @param maxSteps episode length limit (CartPole-v1: 500). */
  constructor(readonly maxSteps: number = CARTPOLE_V1.maxSteps) {}

  /** Starts an episode with each state variable uniform in [−0.05, 0.05); returns the observation. */
  reset(rng: Rng): Float32Array {
    for (let i = 0; i < 4; i++) this.state[i] = rng.uniform(-0.05, 0.05);
    this.steps = 0;
    this.done = false;
    return Float32Array.from(this.state);
  }

  /** Applies action 0 (push left) or 1 (push right) for one step; returns the new observation. */
  step(action: number): Float32Array {
    const C = CARTPOLE_V1;
    const [x, xDot, theta, thetaDot] = this.state as unknown as [number, number, number, number];
    const force = action === 1 ? C.forceMag : -C.forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + POLEMASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    const thetaAcc = (C.gravity * sin - cos * temp) / (C.length * (4 / 3 - (C.massPole * cos * cos) / TOTAL_MASS));
    const xAcc = temp - (POLEMASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    // Gym's default 'euler' integrator: positions use the old velocities.
    this.state[0] = x + C.tau * xDot;
    this.state[1] = xDot + C.tau * xAcc;
    this.state[2] = theta + C.tau * thetaDot;
    this.state[3] = thetaDot + C.tau * thetaAcc;
    this.steps++;
    const nx = this.state[0];
    const nt = this.state[2];
    const fell = nx < -C.xThreshold || nx > C.xThreshold || nt < -C.thetaThreshold || nt > C.thetaThreshold;
    this.done = fell || this.steps >= this.maxSteps;
    return Float32Array.from(this.state);
  }
}

/** The action a controller network picks: argmax of its 2 outputs (0 = push left, 1 = push right; ties → 0). */
export function cartPoleAction(net: NeuralNetwork, observation: Float32Array): number {
  const y = net.predict(observation);
  return (y[1] as number) > (y[0] as number) ? 1 : 0;
}

/** Runs one episode of `net` from a start state drawn from `rng`; returns its return (steps survived, ≤ 500). */
export function cartPoleEpisode(net: NeuralNetwork, rng: Rng, maxSteps: number = CARTPOLE_V1.maxSteps): number {
  const env = new CartPole(maxSteps);
  let obs = env.reset(rng);
  while (!env.done) obs = env.step(cartPoleAction(net, obs));
  return env.steps;
}

/** Result of {@link scoreCartPole}. */
export interface CartPoleScore {
  /** Mean return over the episodes. */
  mean: number;
  /** Worst episode. */
  min: number;
  /** Gym's criterion: mean ≥ 475 over (normally 100) episodes. */
  solved: boolean;
}

/**
 * Scores a controller over `episodes` episodes from random starts drawn from `seed` (Gym's
 * "solved" test is 100 episodes, mean ≥ 475).
 */
export function scoreCartPole(net: NeuralNetwork, episodes = 100, seed = 0): CartPoleScore {
  const rng = new Rng(seed);
  let sum = 0;
  let min = Infinity;
  for (let e = 0; e < episodes; e++) {
    const r = cartPoleEpisode(net, rng);
    sum += r;
    min = Math.min(min, r);
  }
  const mean = sum / episodes;
  return { mean, min, solved: mean >= 475 };
}
