import QariText
import QariWorkers

extension LexiconSet {
    /// The files a `--lexicon` list names: the installation's shipped ones when it is empty, none for `none`.
    public static func paths(named files: [String]) -> [String] { paths(named: files, homes: qariHomeCandidates()) }

    /// The lexicons shipped with this installation of Qari (`lexicons/*.pls`).
    public static func shippedPaths() -> [String] { shippedPaths(homes: qariHomeCandidates()) }
}
