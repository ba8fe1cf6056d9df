import Testing

@testable import QariPage

/// The page's hiding rules, filed by their subject: every element they hide is still found hidden.
@Suite struct HidingSelectorsTests {
    @Test func textHiddenByEachKindOfRuleIsNotRead() async throws {
        let html = """
            <!doctype html><html lang="fr"><head><style>
            #promo{display:none} .a.b{display:none} aside2{display:none} [data-off]{display:none}
            .menu .item{visibility:hidden} ul.list > li.x{display:none} *[data-gone=oui]{display:none}
            </style></head><body><main><h1>Titre</h1><p>Gardé un.</p>
            <p id="promo">Caché par son id</p><p class="a&#9;b">Caché par deux classes</p><p class="a">Gardé deux.</p>
            <aside2>Caché par sa balise</aside2><p data-off>Caché par un attribut</p>
            <div class="menu"><div><p class="item">Caché sous le menu</p></div></div><p class="item">Gardé trois.</p>
            <ul class="list"><li class="x">Caché enfant de la liste</li><li>Gardé quatre.</li></ul>
            <p data-gone="oui">Caché par une valeur</p><p class="
            b">Gardé cinq.</p></main></body></html>
            """
        let content = try await PageReader.read(bytes: Array(html.utf8))
        #expect(
            content.passages.map(\.text) == [
                "Titre", "Gardé un.", "Gardé deux.", "Gardé trois.", "Gardé quatre.", "Gardé cinq.",
            ])
    }

    /// Many rules and elements made at random (a fixed seed): the filed rules find exactly what testing each rule on
    /// each element finds.
    @Test func filedRulesHideWhatEveryRuleTestedOnEveryElementHides() async throws {
        var seed: UInt64 = 0x5eed
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let tags = ["div", "p", "span", "li", "section"]
        let names = ["a", "b", "c", "d", "e", "f"]
        func pick(_ list: [String]) -> String { list[next(list.count)] }
        func element(_ depth: Int) -> String {
            let tag = pick(tags)
            let classes = (0..<next(3)).map { _ in pick(names) }.joined(separator: next(2) == 0 ? " " : "\n")
            let id = next(4) == 0 ? " id=\"\(pick(names))\"" : ""
            let attribute = next(5) == 0 ? " data-x=\"\(pick(names))\"" : ""
            let inner = depth < 4 ? (0..<next(4)).map { _ in element(depth + 1) }.joined() : "t"
            return "<\(tag) class=\"\(classes)\"\(id)\(attribute)>\(inner)</\(tag)>"
        }
        func compound() -> String {
            switch next(6) {
            case 0: pick(tags)
            case 1: "#" + pick(names)
            case 2: "." + pick(names) + "." + pick(names)
            case 3: "[data-x=\(pick(names))]"
            case 4: pick(tags) + "." + pick(names)
            default: "." + pick(names)
            }
        }
        let rules = (0..<60).map { _ in
            (0...next(3)).map { _ in compound() }.joined(separator: next(2) == 0 ? " " : " > ")
        }
        let css = rules.map { $0 + "{display:none}" }.joined(separator: "\n")
        let body = (0..<30).map { _ in element(0) }.joined()
        let html = "<html><head><style>\(css)</style></head><body>\(body)</body></html>"
        let document = try await PageReader.parse(bytes: Array(html.utf8))
        let selectors = rules.compactMap { Selector.parseList($0) }.flatMap { $0 }
        #expect(selectors.count == rules.count)
        let filed = Extraction.hidingSelectors(document)
        #expect(filed.count == selectors.count)
        var hidden = 0
        for (i, node) in document.nodes.enumerated() where node.kind == .element {
            let expected = selectors.contains { $0.matches(i, in: document) }
            #expect(filed.matchAny(i, in: document) == expected, "element \(i) <\(node.tag)>")
            if expected { hidden += 1 }
        }
        // The rules hide some elements and leave others: both answers are compared.
        #expect(hidden > 10 && hidden < document.nodes.count / 2)
    }
}
