export {
  CartPole,
  CARTPOLE_V1,
  cartPoleAction,
  cartPoleEpisode,
  scoreCartPole,
  type CartPoleScore,
} from './cartpole.js';
export { evolveCartPole, type CartPoleTaskOptions, type CartPoleTaskResult } from './cartpole-task.js';
export { evolveXor, scoreXor, XOR_INPUTS, XOR_TARGETS, type XorTaskResult } from './xor.js';
export { compareOnRegression, type RegressionComparison, type RegressionComparisonOptions } from './regression.js';
