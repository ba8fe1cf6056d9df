/// One setting of the daemon: its key, its default, what it is for and the rule its value keeps.
///
/// A key has three spellings and no others: `cache.size` is `--cache-size` and `QARI_CACHE_SIZE`.
public struct Setting<Value: Sendable>: Sendable {
    public let key: String
    /// The value unless set; nil when the default is worked out at start (`shownDefault` says how).
    public let `default`: Value
    /// One line for `qari serve --help`.
    public let help: String
    /// What `--help` says of the default when the value alone does not say it.
    public let shownDefault: String?
    public let isSecret: Bool
    /// What a value breaking the rule is told after the key (" must be positive"); nil when it keeps the rule.
    let rule: @Sendable (Value) -> String?

    init(
        _ key: String, _ value: Value, _ help: String, shown: String? = nil, secret: Bool = false,
        rule: @escaping @Sendable (Value) -> String? = { _ in nil }
    ) {
        self.key = key
        self.default = value
        self.help = help
        self.shownDefault = shown
        self.isSecret = secret
        self.rule = rule
    }

    /// The broken rule as a line naming the key, or nil.
    func problem(_ value: Value) -> String? { rule(value).map { key + $0 } }

    /// The setting without its type, for lists.
    public var description: SettingDescription {
        SettingDescription(
            key: key, help: help, shownDefault: shownDefault ?? SettingDescription.text(self.default),
            isSecret: isSecret)
    }
}

/// A setting as lists show it: `qari serve --help`, the flags, the variables.
public struct SettingDescription: Sendable, Equatable {
    public let key: String
    public let help: String
    public let shownDefault: String
    public let isSecret: Bool

    /// `cache.size` → `--cache-size`.
    public var flag: String {
        "--" + key.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
    }

    /// `cache.size` → `QARI_CACHE_SIZE`.
    public var environmentName: String {
        "QARI_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static func text(_ value: Any) -> String {
        if let list = value as? [String] { return list.isEmpty ? "none" : list.joined(separator: ",") }
        return "\(value)"
    }
}

/// Rules settings share.
enum Rule {
    @Sendable static func positive(_ value: Int) -> String? { value > 0 ? nil : " must be positive" }
    @Sendable static func positive(_ value: Double) -> String? { value > 0 ? nil : " must be positive" }
    /// Every item of a list that breaks its rule, at once: ": a, b are not …".
    static func each(_ bad: [String], _ what: String) -> String? {
        bad.isEmpty ? nil : ": \(bad.joined(separator: ", ")) \(bad.count == 1 ? "is" : "are") \(what)"
    }

    static func within(_ range: ClosedRange<Int>) -> @Sendable (Int?) -> String? {
        { value in
            value.map(range.contains) == false ? " must be from \(range.lowerBound) to \(range.upperBound)" : nil
        }
    }
}
