import Testing

@testable import QariText

@Suite struct SpokenTextTests {
    @Test func aHeadingLineGetsAFullStopThatMapsToTheLineBreak() {
        let text = SpokenText.prepare("Pièces à fournir\nUne photo.\nFin")
        #expect(text.spokenString == "Pièces à fournir.\nUne photo.\nFin")
        // The inserted stop stands for nothing in the original: it maps to an empty range at the line break.
        #expect(text.originalRange(spokenStart: 16, length: 1) == 16..<16)
        // "Une" in the spoken copy is "Une" in the original.
        #expect(text.originalRange(spokenStart: 18, length: 3) == 17..<20)
    }

    @Test func replacementsMapToTheWholeOriginalSpan() {
        var text = SpokenText(original: "20 DH")
        text.copy(0..<3)
        text.replace(3..<5, with: "dirhams")
        #expect(text.spokenString == "20 dirhams")
        #expect(text.originalRange(spokenStart: 3, length: 7) == 3..<5)
        #expect(text.originalRange(spokenStart: 5, length: 2) == 3..<5)
    }
}
