import AutoGrad
import NN

/// Options shared by report 003's experiments (E14 `logreg-early-stopping`, E15
/// `softmax-regression`, E16 `softmax-l2`), with the report's defaults: the first 20,000
/// training images, mini-batches of 128, 50 epochs, five validations per epoch, pixels in [−1, 1].
enum Report003Options {
  static let epochs = Option<Int>(
    "epochs", default: 50, quick: 3, range: 1...10_000, help: "epochs (at most)")
  static let batchSize = Option<Int>(
    "batch-size", default: 128, range: 1...100_000, help: "mini-batch size")
  static let evaluations = Option<Int>(
    "validations-per-epoch", default: 5, range: 1...1000, help: "evaluations per epoch")
  static let trainSize = Option<Int>(
    "train-size", default: 20_000, quick: 4000, range: 100...60_000,
    help: "first N training images")
  static let shuffle = Option<Bool>(
    "shuffle", default: true, help: "shuffle the batches every epoch (--shuffle=false: in order)")
  static let pixels = Option<PixelRange>(
    "pixels", default: .signed, help: "pixel scaling: signed [-1, 1] (report) or unit [0, 1]")
}

/// How pixels are scaled before training.
enum PixelRange: String, CaseIterable, OptionChoice {
  /// `2·v/255 − 1`, in [−1, 1]: report 003's assignment ("normalize from [0, 255] to [−1, 1]").
  case signed
  /// `v/255`, in [0, 1] (torchvision's `ToTensor`).
  case unit

  /// The images as a `[N, 784]` float32 design matrix in this range.
  func features(_ images: ImageDataset) -> Tensor {
    let unit = images.features()
    return self == .unit ? unit : withoutGrad { unit * 2 - 1 }
  }
}
