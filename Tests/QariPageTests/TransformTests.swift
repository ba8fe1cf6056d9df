import Foundation
import QariTestSupport
import Testing

@testable import QariPage

/// The display transforms keep the page and change only how it looks.
@Suite struct TransformTests {
    static let allModes: [DisplayTransform.Modes] = [
        .init(contrast: .dark), .init(contrast: .light), .init(scale: 200), .init(contrast: .dark, scale: 300),
        .init(contrast: .light, accent: DisplayTransform.Accent.all.last, scale: 150),
    ]

    /// What a page offers beyond its text: links, form fields, scripts, event handlers, language and direction.
    static func inventory(_ document: HTMLDocument) -> [String] {
        var items: [String] = []
        for node in document.nodes where node.kind == .element {
            switch node.tag {
            case "a": items.append("a \(node.attribute("href") ?? "")")
            case "form", "input", "select", "textarea", "button":
                items.append(
                    "\(node.tag) \(node.attribute("name") ?? "") \(node.attribute("type") ?? "") \(node.attribute("action") ?? "")"
                )
            case "script":
                items.append(
                    "script \(node.attribute("src") ?? "") \(node.children.map { document.nodes[$0].text }.joined())")
            case "html": items.append("html \(node.attribute("lang") ?? "") \(node.attribute("dir") ?? "")")
            default: break
            }
            for a in node.attributes
            where a.name.hasPrefix("on") || a.name != "style" && a.value.lowercased().contains("javascript:") {
                items.append("\(node.tag) \(a.name)=\(a.value)")
            }
        }
        return items
    }

    @Test func everyPageKeepsItsTextLinksFormsAndScriptsInEveryMode() async throws {
        // The project's sample pages, and the service corpus when ../shared is present.
        var pages = try Support.samplePages()
        #expect(pages.count >= 2)
        if Support.hasShared {
            let corpus = Support.sharedDir.appendingPathComponent("corpus")
            pages += try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "html" }
        }
        for url in pages {
            let page = url.lastPathComponent
            let bytes = Array(try Data(contentsOf: url))
            let original = try await PageReader.parse(bytes: bytes)
            let read = try PageReader.extract(original)
            for modes in Self.allModes {
                let html = DisplayTransform.transform(original, modes: modes)
                let transformed = await HTMLDocument(parsing: html)
                let reread = try PageReader.extract(transformed)
                #expect(reread.passages.map(\.text) == read.passages.map(\.text), "\(page) \(modes)")
                #expect(reread.passages.map(\.lang) == read.passages.map(\.lang), "\(page) \(modes)")
                #expect(Self.inventory(transformed) == Self.inventory(original), "\(page) \(modes)")
                #expect(html.contains("<style id=\"qari-display\">"))
            }
        }
    }

    @Test func theOutputNeverGainsExecutableContent() async throws {
        let hostile = """
            <html><head><style>p{color:red;background:url("x\\" onload=alert(1)")}/*</style><script>alert(2)</script>*/</style></head>
            <body><p style='color: red !important; background: url("javascript:alert(3)")' title="&quot;><script>alert(4)</script>">Texte</p>
            <svg><style>circle{fill:red}</style><circle r="4"/></svg></body></html>
            """
        let original = await HTMLDocument(parsing: hostile)
        for modes in Self.allModes {
            let transformed = await HTMLDocument(parsing: DisplayTransform.transform(original, modes: modes))
            #expect(Self.inventory(transformed) == Self.inventory(original), "\(modes)")
            let scripts = transformed.nodes.filter { $0.tag == "script" }.count
            #expect(scripts == original.nodes.filter { $0.tag == "script" }.count)
            // CSS may lose a javascript: URL with a colour it drops, never gain one.
            func jsURLs(_ d: HTMLDocument) -> Int {
                d.nodes.reduce(0) { $0 + $1.attributes.filter { $0.value.lowercased().contains("javascript:") }.count }
            }
            #expect(jsURLs(transformed) <= jsURLs(original))
        }
    }

    static func luminance(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16)!
        func channel(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(v >> 16) + 0.7152 * channel((v >> 8) & 0xFF) + 0.0722 * channel(v & 0xFF)
    }

    static func ratio(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func everyColourPairOfTheContrastModesIsAtLeastSevenToOne() {
        for mode in DisplayTransform.Modes.Contrast.allCases {
            let (fg, bg) = DisplayTransform.palette(mode)
            #expect(Self.ratio(fg, bg) >= 7)
            let accents = DisplayTransform.Accent.all.filter { $0.mode == mode }
            #expect(accents.count >= 3)
            for accent in accents {
                #expect(Self.ratio(accent.hex, bg) >= 7, "\(mode) \(accent.name)")
                let css = DisplayTransform.stylesheet(.init(contrast: mode, accent: accent))
                #expect(css.contains("color: \(accent.hex) !important"))
                #expect(css.contains("text-decoration: underline !important"))
            }
        }
    }

    @Test func thePagesOwnCSSIsRewrittenForTheModes() async throws {
        let html = """
            <html lang="ar" dir="rtl"><head><style>
            svg path{fill:#ccc} svg circle{fill:none;stroke:#ddd}
            .x{color:#999 !important;font-size:12px;height:300px;width:980px;letter-spacing:2px;position:fixed}
            @media (prefers-contrast: more){.y{border:3px solid}} @media (prefers-contrast: less){.z{border:0}}
            @media print{.p{display:none}}
            </style></head><body><p class="x" style="color:#aaa !important;font-size:9pt;background:#eee">نص</p>
            <table><tr><td><p>تخطيط</p></td></tr></table><table><tr><th>أ</th></tr><tr><td>1</td></tr></table>
            <marquee>خبر</marquee></body></html>
            """
        let document = await HTMLDocument(parsing: html)
        let both = DisplayTransform.transform(document, modes: .init(contrast: .dark, scale: 200))
        #expect(!both.contains("#999") && !both.contains("#aaa") && !both.contains("#eee"))
        #expect(both.contains(".x{font-size:0.75rem;") && both.contains("style=\"font-size:0.75rem\""))
        #expect(both.contains("min-height:300px") && both.contains("max-width:980px"))
        #expect(!both.contains("letter-spacing:2px") && both.contains("position:static"))
        #expect(both.contains(".y{border:3px solid}") && !both.contains(".z{"))
        #expect(
            both.contains("svg path{fill:currentColor}") && both.contains("svg circle{fill:none;stroke:currentColor}"))
        #expect(both.contains("@media print"))
        #expect(both.contains("<table data-qari-layout=\"\">") && both.contains("<table><tbody><tr><th>"))
        #expect(both.contains("<div data-qari-skip=\"\">خبر</div>") && !both.contains("<marquee"))
        #expect(both.contains("<html lang=\"ar\" dir=\"rtl\">"))
        // Contrast alone leaves sizes; large alone leaves colours.
        let contrast = DisplayTransform.transform(document, modes: .init(contrast: .light))
        #expect(contrast.contains("font-size:12px") && !contrast.contains("#999"))
        #expect(contrast.contains(":lang(ar), :lang(ar) *") && contrast.contains("letter-spacing: normal !important"))
        let large = DisplayTransform.transform(document, modes: .init(scale: 150))
        #expect(large.contains("#999") && large.contains("font-size: 150%"))
    }

    /// Larger text unlocks zoom (WCAG 1.4.4, axe's meta-viewport): user-scalable=no and a maximum-scale under 5 go.
    @Test func largerTextUnlocksZoomAndContrastAloneLeavesTheViewport() async throws {
        let locked = "width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no"
        let page = Array(
            "<html><head><meta name=\"viewport\" content=\"\(locked)\"></head><body><p>Texte</p></body></html>".utf8)
        let document = try await PageReader.parse(bytes: page)
        let large = DisplayTransform.transform(document, modes: try .parse(["large:200"]))
        #expect(large.contains("content=\"width=device-width, initial-scale=1\""), "\(large)")
        let contrast = DisplayTransform.transform(document, modes: try .parse(["contrast:dark"]))
        #expect(contrast.contains("content=\"\(locked)\""))
        #expect(
            DisplayTransform.zoomable("width=device-width; user-scalable=0; maximum-scale=2.0") == "width=device-width")
        #expect(
            DisplayTransform.zoomable("width=device-width, maximum-scale=5, user-scalable=yes")
                == "width=device-width, maximum-scale=5, user-scalable=yes")
    }

    @Test func modesAreParsedOrRefusedPrecisely() throws {
        #expect(try DisplayTransform.Modes.parse(["contrast,large"]) == .init(contrast: .dark, scale: 200))
        #expect(
            try DisplayTransform.Modes.parse(["contrast:light:purple", "large:150%"])
                == .init(
                    contrast: .light, accent: DisplayTransform.Accent.all.first { $0.name == "purple" }, scale: 150))
        for bad in ["", "loud", "large:400", "contrast:grey", "contrast:dark:purple", "large:abc"] {
            #expect(throws: DisplayTransform.TransformError.self) { try DisplayTransform.Modes.parse([bad]) }
        }
    }

    @Test func cssTokensSurviveARoundTrip() {
        let css =
            #"a{background:url( "x y.png" ) no-repeat;content:"\"q\" \61";margin:-1.5e3px 10% .5em}@media (min-width:600px){b{c:d!important}}"#
        let once = CSS.serialize(CSS.tokenize(css))
        #expect(CSS.tokenize(once) == CSS.tokenize(css))
        let rules = CSS.parseStylesheet(css)
        #expect(rules.count == 2)
        if case .at(let name, _, let inner, _) = rules[1] {
            #expect(name == "media" && inner?.count == 1)
        }
        #expect(
            CSS.parseDeclarations("color: red !important; x").first
                == CSS.Declaration(name: "color", value: [.ident("red")], important: true))
    }

    /// Found by `make fuzz` (FuzzCSS): an unterminated string or a bad url() was written back as a valid empty one,
    /// which made an invalid declaration valid; a lone backslash must not become an escape.
    @Test(arguments: ["a{b:\"x\n}", "a{b:url(x\"y) red}", "%\u{0}\\", "p{color:red;x:\"open\n;y:z}"])
    func cssThatBrowsersDropStaysDroppedAfterARewrite(_ css: String) {
        let tokens = CSS.tokenize(css)
        let again = CSS.tokenize(CSS.serialize(tokens))
        #expect(again.filter { $0 != .whitespace } == tokens.filter { $0 != .whitespace })
    }

    /// Found by `make fuzz` (FuzzPage): a font size of 10^55 pixels crashed the page worker when it was made relative.
    @Test func absurdSizesInThePagesCSSAreHeldNotFatal() {
        for css in ["p{font-size:17555555555555555555555555555555555555555555555555555px}", "p{font-size:1e400px}"] {
            let out = CSSRewriter.stylesheet(css, modes: DisplayTransform.Modes(scale: 200))
            #expect(out.contains("font-size:"), "\(out)")
            #expect(!out.contains("inf") && !out.contains("nan"), "\(out)")
        }
    }

    /// Every input `make fuzz` found a crash with (Tests/Fuzz/regressions/), through what its target ran.
    @Test func everyCrashTheFuzzersFoundStaysFixed() async throws {
        let folder = Support.repoDir.appendingPathComponent("Tests/Fuzz/regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            if name.hasPrefix("FuzzPage-") {
                // As FuzzPage reads its input: the first byte picks the charset label.
                let labels: [String?] = [
                    nil, "utf-8", "windows-1256", "iso-8859-6", "gb2312", "shift_jis", "utf-16le", "bogus",
                ]
                let document = try? PageReader.parseHere(
                    bytes: Array(bytes.dropFirst()), charset: labels[Int(bytes[0]) % labels.count])
                if let document {
                    _ = try? PageReader.extract(document)
                    _ = DisplayTransform.transform(document, modes: DisplayTransform.Modes(contrast: .dark, scale: 200))
                }
            } else if name.hasPrefix("FuzzCSS-") {
                let source = String(decoding: bytes, as: UTF8.self)
                let tokens = CSS.tokenize(source)
                let again = CSS.tokenize(CSS.serialize(tokens))
                let a = tokens.filter { $0 != .whitespace }
                let b = again.filter { $0 != .whitespace }
                let at = a.indices.first { $0 >= b.count || a[$0] != b[$0] }
                #expect(
                    at == nil && a.count == b.count,
                    "\(name): \(at.map { "\(a[$0...].prefix(3)) became \(b[$0...].prefix(3))" } ?? "lengths")")
                _ = CSSRewriter.stylesheet(source, modes: DisplayTransform.Modes(contrast: .light, scale: 300))
            }
        }
    }
}
