/// Every experiment the program knows, in the order `list` shows and `all` runs them.
enum Registry {
  /// The experiment types, in EXPERIMENTS.md order. Add new experiments here.
  static var experiments: [any Experiment.Type] {
    [
      PerceptronOVR.self,
      LogRegOVR.self,
      MLPTwoHidden.self,
      OnlineVsMinibatch.self,
      LogRegL2.self,
      PerceptronMulticlass.self,
      LogRegMulticlass.self,
      MLPOneHidden.self,
      LogRegBatched.self,
      FFNBatchSize.self,
      FFNLearningRate.self,
      FFNRegularization.self,
      BooleanMLP.self,
      LogRegEarlyStopping.self,
      SoftmaxRegression.self,
      SoftmaxL2.self,
      CriticalPoints.self,
      MNISTScratchMSE.self,
      MNISTCrossEntropy.self,
      TimeBasedLR.self,
      GeneralizationCurves.self,
      BatchNormDeep.self,
      Derivations.self,
    ]
  }

  /// The experiment whose slug is `name`, if any.
  static func experiment(named name: String) -> (any Experiment.Type)? {
    experiments.first { $0.name == name }
  }

  /// Traps on a programming mistake in the registry: a duplicate or badly formed slug, or an
  /// experiment flag that reuses a common flag's name or is declared twice.
  static func validate() {
    let reserved: Set = ["quick", "seed", "data", "out", "dataset", "help"]
    var names: Set<String> = ["list", "all", "help"]
    for type in experiments {
      precondition(
        names.insert(type.name).inserted, "Registry: duplicate or reserved slug \(type.name)")
      precondition(
        type.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" },
        "Registry: slug must be lowercase-with-dashes, got \(type.name)")
      var flags = Set<String>()
      for spec in type.extraOptions {
        precondition(
          !reserved.contains(spec.name) && flags.insert(spec.name).inserted,
          "Registry: \(type.name) declares --\(spec.name) twice or reuses a common flag")
      }
    }
  }
}
