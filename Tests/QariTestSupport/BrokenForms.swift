extension Support {
    /// A page of 2,000 fields whose labels are broken every way a page can break them: a `for` pointing at a
    /// missing id, nested labels, a loop of `aria-labelledby` references; field i is named "Numéro i". `typed`
    /// gives each a value a citizen typed (`tape-i`); `sharedHint` gives them all one huge `aria-describedby` hint.
    public static func brokenFormPage(typed: Bool = false, sharedHint: Bool = false) -> String {
        var html = "<html lang=fr><body><main><h1>Inventaire</h1><p>Une page de champs.</p><form>"
        for i in 0..<2000 {
            html += "<label for=absent\(i)>Perdu</label><label>Extérieur <label>Champ \(i) "
            html += "<input id=c\(i)" + (sharedHint ? " aria-describedby='aide c\(i)'" : "")
            html += " aria-labelledby='l\(i) c\(i)'" + (typed ? " value='tape-\(i)'" : "") + "></label></label>"
            html += "<span id=l\(i) aria-labelledby=c\(i)>Numéro \(i)</span>"
        }
        if sharedHint { html += "<div id=aide>" + String(repeating: "Une aide très longue. ", count: 5000) + "</div>" }
        return html + "</form></main></body></html>"
    }
}
