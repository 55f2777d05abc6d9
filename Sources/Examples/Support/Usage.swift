/// The help texts, built from the registry and each experiment's declared options.
enum Usage {
  /// `Examples help`.
  static var general: String {
    let commands: [(String, String)] = [
      ("list", "list every experiment with a one-line summary"),
      ("<experiment> [options]", "run one experiment, e.g. 'Examples perceptron-ovr --quick'"),
      ("all [options]", "run every experiment in order; stop at the first failure"),
      ("help [<experiment>]", "show this help, or an experiment's options"),
    ]
    return """
      OVERVIEW: recreates the experiments of the homework reports (see Docs/Examples.md)

      USAGE: Examples <command> [options]

      COMMANDS:
      \(rows(commands))

      COMMON OPTIONS:
      \(rows(Options.commonFlags))

      Each run prints its parameters and results and writes results.json, SVG charts and
      PNG grids into its output directory. Exit status: 0 success, 1 failure, 64 usage.
      """
  }

  /// `Examples help all`.
  static var all: String {
    let outHelp = "parent output directory: each run writes DIR/<experiment> (default runs)"
    let flags = Options.commonFlags.map { flag, help in
      (flag, flag == "--out DIR" ? outHelp : help)
    }
    return """
      USAGE: Examples all [options]

      Runs every experiment in 'Examples list' order with its default options; stops at the
      first failure with a non-zero exit status, naming the experiment.

      OPTIONS:
      \(rows(flags))
      """
  }

  /// `Examples help <experiment>` and `Examples <experiment> --help`.
  static func experiment(_ type: any Experiment.Type) -> String {
    var text = """
      USAGE: Examples \(type.name) [options]

      \(type.summary)

      COMMON OPTIONS:
      \(rows(Options.commonFlags))
      """
    let specs = type.extraOptions
    if !specs.isEmpty {
      text += "\n\n\(type.name.uppercased()) OPTIONS:\n" + rows(specs.map(describe))
    }
    return text
  }

  /// One experiment flag as `("--epochs N", "training epochs (default 20, quick 2)")`.
  private static func describe(_ spec: OptionSpec) -> (String, String) {
    let placeholder = spec.choices?.joined(separator: "|") ?? spec.kind.placeholder
    let flag = placeholder.isEmpty ? "--\(spec.name)" : "--\(spec.name) \(placeholder)"
    var notes: [String] = []
    if spec.kind != .flag || spec.defaultValue != .flag(false) {
      notes.append("default \(spec.defaultValue.text)")
    }
    if let quick = spec.quickValue, quick != spec.defaultValue {
      notes.append("quick \(quick.text)")
    }
    if let range = spec.range {
      let (low, high) = (Format.shortest(range.lowerBound), Format.shortest(range.upperBound))
      notes.append("range \(low)...\(high)")
    }
    return (flag, notes.isEmpty ? spec.help : "\(spec.help) (\(notes.joined(separator: "; ")))")
  }

  /// Two aligned columns, indented by two spaces.
  private static func rows(_ pairs: [(String, String)]) -> String {
    let width = min(24, pairs.map(\.0.count).max() ?? 0)
    return pairs.map { flag, help in
      flag.count > width
        ? "  \(flag)\n  \(Format.pad("", to: width))  \(help)"
        : "  \(Format.pad(flag, to: width))  \(help)"
    }.joined(separator: "\n")
  }
}
