import QariPage

/// The plans of pages read lately, by the SHA-256 of their bytes: the same page sent again (a second click, another
/// citizen's) is answered without reading it again, so a made reading plays within milliseconds of the press.
///
/// Public pages only: a page that is private, or asks to be, is read every time and never remembered.
struct PlanMemo {
    private var plans: [String: (plan: PagePlan, bytes: Int)] = [:]
    private var order: [String] = []
    private var total = 0
    /// About the most the plans may hold together, counting their passages' text (locators are of a like size).
    let limit: Int
    let maxEntries: Int

    init(limit: Int = 64 << 20, maxEntries: Int = 4096) {
        self.limit = limit
        self.maxEntries = maxEntries
    }

    /// The key of a page: its bytes, the charset it was sent with, and the voices asked for.
    static func key(_ page: PageInput) -> String {
        let overrides = page.overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let head = Array("qari page\n\(page.charset ?? "-")\n\(overrides)\n".utf8)
        return ContentHash.sha256(head + page.bytes)
    }

    mutating func plan(_ key: String) -> PagePlan? {
        guard let entry = plans[key] else { return nil }
        if let i = order.firstIndex(of: key) { order.remove(at: i) }
        order.append(key)
        return entry.plan
    }

    mutating func keep(_ plan: PagePlan, under key: String) {
        guard plans[key] == nil else { return }
        let bytes = plan.content.passages.reduce(256) { $0 + 3 * $1.text.utf8.count }
        guard bytes <= limit / 4 else { return }
        plans[key] = (plan, bytes)
        order.append(key)
        total += bytes
        while total > limit || order.count > maxEntries, let old = order.first {
            order.removeFirst()
            total -= plans.removeValue(forKey: old)?.bytes ?? 0
        }
    }
}
