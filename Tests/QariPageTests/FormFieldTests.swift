import Foundation
import QariTestSupport
import QariText
import Testing

@testable import QariPage

/// A form as a listener meets it: each field's name in the HTML-AAM order, its kind, hint, error and choices, and
/// never what was typed in it.
@Suite struct FormFieldTests {
    /// A sample form's fields as its expected file lists them, and the values that must never come out.
    struct Expected: Decodable {
        struct Field: Decodable {
            var label: String
            var kind: String
            var required: Bool
            var hint: String?
            var error: String?
            var options: [String]?
            var chosen: [String]?
            var checked: Bool?
            var legend: String?
        }
        var fields: [Field]
        var never: [String]
    }

    static let forms = ["form-ar", "form-fr", "form-zgh"]

    static func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(
            Expected.self,
            from: Data(contentsOf: PageTests.samples.appendingPathComponent(name + ".expected.json")))
    }

    static func fields(_ html: String, options: PageOptions = .init()) async throws -> [FormField] {
        try await PageTests.read(html, options: options).fields
    }

    static func label(_ controls: String) async throws -> String {
        let html = "<html lang=fr><body><main><p>Texte de la page.</p>\(controls)</main></body></html>"
        let fields = try await fields(html)
        try #require(fields.count == 1, "\(fields.map(\.label))")
        return fields[0].label
    }

    @Test(arguments: [
        // aria-labelledby first, its ids in order, missing ids skipped
        (
            "<span id=a>Nom</span><span id=b>de famille</span><label for=x>Étiquette</label>"
                + "<input id=x aria-labelledby='b absent a' aria-label=Aria title=Titre placeholder=Indice>",
            "de famille Nom"
        ),
        // then aria-label
        ("<label for=x>Étiquette</label><input id=x aria-label=Aria title=Titre>", "Aria"),
        // then <label for>, then the wrapping label
        ("<label for=x>Pour</label><label>Autour <input id=x title=Titre></label>", "Pour Autour"),
        ("<label>Ville <select><option>Rabat</option></select></label>", "Ville"),
        // then title, then placeholder
        ("<input title=Titre placeholder=Indice>", "Titre"),
        ("<input placeholder='JJ/MM/AAAA'>", "JJ/MM/AAAA"),
        // a label pointing at a missing id names nothing; an aria-labelledby of missing ids neither
        ("<label for=absent>Perdu</label><input aria-labelledby='absent autre' placeholder=Indice>", "Indice"),
        // nested labels: the nearest one labels the control
        ("<label>Extérieur <label>Intérieur <input></label></label>", "Intérieur"),
        // a loop of aria-labelledby ends: references inside a referenced element are not followed
        (
            "<span id=a aria-labelledby=b>Un</span><span id=b aria-labelledby=a>Deux</span>"
                + "<input id=c aria-labelledby='a b c'>", "Un Deux"
        ),
        ("<input id=x aria-labelledby=x title=Titre>", "Titre"),
        // hidden words in a label are not said; a button is named by its content, an input button by its caption
        ("<label for=x>Nom <span hidden>caché</span><span aria-hidden=true>*</span></label><input id=x>", "Nom"),
        ("<button type=submit><img src=a.png alt=Envoyer> la demande</button>", "Envoyer la demande"),
        ("<input type=submit value='Valider'>", "Valider"),
        ("<input type=submit>", "Envoyer"),
    ])
    func theNameFollowsTheAccessibleNameOrder(_ controls: String, _ name: String) async throws {
        #expect(try await Self.label(controls) == name)
    }

    @Test func everySampleFormListsEveryFieldAsItsExpectedFileSays() async throws {
        for name in Self.forms {
            let expected = try Self.expected(name)
            let html = try Data(contentsOf: PageTests.samples.appendingPathComponent(name + ".html"))
            let fields = try await PageReader.read(bytes: Array(html)).fields
            #expect(fields.map(\.label) == expected.fields.map(\.label), "\(name)")
            for (got, want) in zip(fields, expected.fields) {
                let what = "\(name): \(want.label)"
                #expect(got.kind.rawValue == want.kind, "\(what)")
                #expect(got.required == want.required, "\(what)")
                #expect(got.hint == want.hint, "\(what)")
                #expect(got.error == want.error, "\(what)")
                #expect(got.options?.map(\.label) == want.options, "\(what)")
                #expect(got.options?.filter(\.chosen).map(\.label) == want.chosen, "\(what)")
                #expect(got.checked == want.checked, "\(what)")
                #expect(got.legend == want.legend, "\(what)")
                // What is said holds every part, in the field's words.
                let words = FieldWords.forLanguage(got.lang)
                #expect(got.text.contains(got.label) && got.text.contains(words.word(got.kind)), "\(what): \(got.text)")
                #expect(got.text.contains(words.required) == want.required, "\(what): \(got.text)")
                for part in [want.hint, want.error, want.legend].compactMap({ $0 }) {
                    #expect(got.text.contains(part), "\(what): \(got.text)")
                }
                #expect(got.locator.length == got.text.unicodeScalars.count && !got.locator.path.isEmpty)
            }
            let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
            for secret in expected.never { #expect(!json.contains(secret), "\(name): \(secret)") }
        }
    }

    @Test func aFieldsTextAndLocatorsLeadToItsControlAndLabel() async throws {
        let html = try String(contentsOf: PageTests.samples.appendingPathComponent("form-fr.html"), encoding: .utf8)
        let content = try await PageTests.read(html)
        let document = await HTMLDocument(parsing: html)
        let name = content.fields[0]
        #expect(name.text == "Vos informations. Nom, champ de texte, obligatoire.")
        #expect(Self.element(name.locator.path, in: document)?.attribute("id") == "nom")
        let label = try #require(name.labelLocator)
        #expect(Self.element(label.path, in: document)?.tag == "label")
        let scalars = Array(name.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[label.offset..<label.offset + label.length])) == "Nom")
        let commune = content.fields[7]
        #expect(
            commune.text
                == "Commune de naissance, liste de choix, obligatoire. Choix possibles : Rabat, Casablanca, Fès, "
                + "Taroudant. Choisi : aucun choix.")
        let checkbox = content.fields[11]
        #expect(checkbox.text == "Je certifie l'exactitude des informations, case à cocher, obligatoire, non coché.")
        let arabic = try String(
            contentsOf: PageTests.samples.appendingPathComponent("form-ar.html"), encoding: .utf8)
        let error = try await PageTests.read(arabic).fields[3]
        #expect(error.text == "رقم البطاقة الوطنية، حقل نص. خطأ: رقم البطاقة الوطنية غير مكتمل.")
    }

    static func element(_ path: [Int], in document: HTMLDocument) -> HTMLDocument.Node? {
        var e = document.root
        for i in path {
            guard let child = document.nodes[e].children.filter({ document.nodes[$0].kind == .element })[safe: i]
            else { return nil }
            e = child
        }
        return document.nodes[e]
    }

    /// Nor are the reader button's own controls (the widget sends the page with itself in it, data-qari-skip).
    @Test func hiddenControlsAndHiddenInputsAreNotFields() async throws {
        let fields = try await Self.fields(
            """
            <html lang=fr><head><style>.cache{display:none}</style></head><body><main><p>Texte.</p>
            <input type=hidden name=jeton value=x><div hidden><input aria-label=Caché></div>
            <input class=cache aria-label=Masqué><template><input aria-label=Modèle></template>
            <div class=qari data-qari-skip><select aria-label=Vitesse><option>1</option></select></div>
            <input aria-label=Visible></main></body></html>
            """)
        #expect(fields.map(\.label) == ["Visible"])
    }

    @Test func aPageOfTwoThousandFieldsIsDescribedWithinThePageDeadline() async throws {
        // Labels pointing at missing ids, nested labels, a loop of references, one huge shared hint.
        let html = Support.brokenFormPage(sharedHint: true)
        let fields = try await Self.fields(html)
        #expect(fields.count == 2000)
        #expect(fields[1999].label == "Numéro 1999")
        #expect(fields.allSatisfy { ($0.hint?.count ?? 0) <= AccessibleName.maxLetters })
        // Past its deadline, the page is refused, never read for ever.
        await #expect(throws: PageError.self) {
            try await Self.fields(html, options: PageOptions(timeLimitMilliseconds: 0))
        }
    }

    @Test func aFragmentIsDescribedInTheLanguageItIsGiven() throws {
        let document = HTMLDocument(
            gumbo: "<label for=n>الاسم</label><input id=n required value='نص مكتوب'><p id=e>خطأ</p>")
        let fields = try PageReader.fields(document, lang: "ar")
        #expect(fields.map(\.text) == ["الاسم، حقل نص، إجباري."])
        // On an Amazigh page the kinds are said in French; a field with no Tifinagh is French altogether.
        let amazigh = try PageReader.fields(
            HTMLDocument(gumbo: "<input aria-label=ⵉⵙⵎ required><input aria-label=Nom>"), lang: "zgh")
        #expect(amazigh.map(\.text) == ["ⵉⵙⵎ, champ de texte, obligatoire.", "Nom, champ de texte."])
        #expect(amazigh.map(\.lang) == ["zgh", "fr"])
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
