// safetensors with PyTorch nn.Sequential names: writer and reader.
export {
  toSafetensors,
  fromSafetensors,
  torchSequential,
  type SafetensorsImportOptions,
  type TorchActivation,
} from './torch.js';
