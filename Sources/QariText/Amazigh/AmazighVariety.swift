/// The Amazigh varieties Qari speaks: the one table that the voices, the language tags, the lexicons and the
/// tests read.
public enum AmazighVariety: String, Sendable, CaseIterable {
    /// Standard Moroccan Amazigh (IRCAM): stops kept, schwa inserted in clusters.
    case zgh
    /// Tachelhit: consonants as written, no schwa.
    case shi
    /// Central Atlas Tamazight: spirantized stops, ɣ devoiced before voiceless consonants.
    case tzm
    /// Tarifit: spirantized stops, l → trill, ll → dʒː, lt → tʃ, r lost before a consonant.
    case rif

    /// The standard, whose lexicons and dictionary every variety shares.
    public static let standard = AmazighVariety.zgh

    /// The variety's name, as the voice list gives it.
    public var name: String {
        switch self {
        case .zgh: "Standard Moroccan Amazigh"
        case .shi: "Tachelhit"
        case .tzm: "Central Atlas Tamazight"
        case .rif: "Tarifit"
        }
    }

    /// Whether the reader inserts schwa in consonant clusters.
    var insertsSchwa: Bool { self != .shi }
    /// Whether single b t d ḍ k g are read as fricatives.
    var spirantizes: Bool { self == .tzm || self == .rif }
}
