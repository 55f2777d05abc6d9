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
